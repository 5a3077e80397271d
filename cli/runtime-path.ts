/**
 * Finding the repository's runtime-instrumentation directory (the Python
 * package greenlet_lens) relative to this code: dist/cli.js when bundled,
 * out/cli/*.js when compiled, so both are searched by walking up.
 */

import * as fs from 'fs';
import * as path from 'path';

export function findRuntimeDir(from: string = __dirname): string | null {
  let dir = path.resolve(from);
  for (let depth = 0; depth < 5; depth++) {
    const candidate = path.join(dir, 'runtime-instrumentation');
    if (fs.existsSync(path.join(candidate, 'greenlet_lens'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
