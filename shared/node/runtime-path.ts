/**
 * Finding the repository's runtime-instrumentation directory (the Python
 * package greenlet_lens) relative to the code that needs it: the CLI and the
 * adapter run as bundles (dist/*.js) and compiled (out/**), so the caller's
 * own folder is searched upwards. Node-only (fs), hence shared/node/ rather
 * than shared/, whose other modules the webview bundles too.
 */

import * as fs from 'fs';
import * as path from 'path';

/** `from` is the caller's `__dirname`: only it knows where its bundle sits. */
export function findRuntimeDir(from: string): string | null {
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
