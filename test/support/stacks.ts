/**
 * The stack a suite runs on (scripts/stacks.mjs sets these for each stack of
 * the matrix; run alone, a suite uses Debian's /usr/bin/python3) and its
 * greenlet-only twin: the same Python with greenlet and without gevent, for
 * plain greenlet programs, built by `node scripts/stacks.mjs setup`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const STACK_PYTHON = process.env['GREENLET_LENS_PYTHON'] || '/usr/bin/python3';

function cacheDir(): string {
  const base = process.env['GREENLET_LENS_CACHE'] || path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'greenlet-lens');
  return path.join(base, 'stacks');
}

/** The greenlet-only Python, or why there is none (for t.skip). */
export function greenletOnlyPython(): { python: string } | { missing: string } {
  const given = process.env['GREENLET_LENS_GREENLET_ONLY_PYTHON'];
  const python = given || path.join(cacheDir(), 'debian-greenlet-only', 'bin', 'python');
  if (fs.existsSync(python)) return { python };
  return { missing: `no Python with greenlet and without gevent at ${python} (node scripts/stacks.mjs setup builds it)` };
}
