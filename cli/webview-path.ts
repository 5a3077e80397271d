/**
 * Finding the board's browser bundle (dist/webview: board.js, board.css and
 * the two theme files) relative to this code, the way runtime-path.ts finds
 * the runtime: dist/cli.js when bundled, out/cli/*.js when compiled.
 */

import * as fs from 'fs';
import * as path from 'path';

/** The file that must be there for a folder to count as the board bundle. */
export const BOARD_SCRIPT = 'board.js';

export function findWebviewDir(from: string = __dirname): string | null {
  let dir = path.resolve(from);
  for (let depth = 0; depth < 5; depth++) {
    for (const candidate of [path.join(dir, 'webview'), path.join(dir, 'dist', 'webview')]) {
      if (fs.existsSync(path.join(candidate, BOARD_SCRIPT))) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
