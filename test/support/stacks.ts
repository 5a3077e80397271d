/**
 * The stack a suite runs on (scripts/stacks.mjs sets these for each stack of
 * the matrix; run alone, a suite uses Debian's /usr/bin/python3) and its
 * greenlet-only twin: the same Python with greenlet and without gevent, for
 * plain greenlet programs, built by `node scripts/stacks.mjs setup`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
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

/** The matrix stack this suite runs on (scripts/stacks.mjs), or the default one for a suite run alone. */
export const STACK_ID = (process.env['GREENLET_LENS_STACK'] || 'debian-3.11:').split(':')[0]!;
export const ON_DEFAULT_STACK = STACK_ID === 'debian-3.11';
/** gevent in its pure-Python mode: PURE_PYTHON set to anything, even 0, as gevent reads it. */
export const PURE_GEVENT = (process.env['PURE_PYTHON'] ?? '') !== '';

/**
 * `skip` for a test of Node code alone (the adapter, the CLI's readers, the
 * view server, the package): the Python stack cannot change it, so it runs
 * once, on the default stack.
 */
export const NODE_ONLY: string | false = ON_DEFAULT_STACK ? false : 'Node code only: checked on the default stack';

/**
 * `skip` for a test of the runtime's own machinery (its channel, its memory,
 * its intern table) that gevent's pure-Python mode does not reach: it runs on
 * the compiled gevent stacks.
 */
export const RUNTIME_ONLY: string | false = PURE_GEVENT ? 'the runtime\'s own machinery, which gevent\'s pure-Python mode does not reach: checked on the compiled gevent stacks' : false;

/**
 * gunicorn and Flask for `python` (the multi-process tests): no extra
 * environment when it has them (Debian's, from setup.sh), PYTHONPATH to the
 * folder scripts/servers.mjs installs them into from the local package index
 * (the pyenv stacks), or why there are none (for t.skip).
 */
export function serverPackages(python: string): { env: Record<string, string> } | { missing: string } {
  const has = (env: Record<string, string>): boolean =>
    spawnSync(python, ['-c', 'import gunicorn.workers.ggevent, flask'], { env: { ...process.env, ...env }, encoding: 'utf8' }).status === 0;
  if (has({})) return { env: {} };
  const dir = path.join(cacheDir(), 'servers');
  const env = { PYTHONPATH: dir };
  if (fs.existsSync(dir) && has(env)) return { env };
  return { missing: `${python} has no gunicorn and Flask, and ${dir} has none it can import (node scripts/servers.mjs installs them there; setup.sh installs Debian's for /usr/bin/python3)` };
}

/** What a server test needs of serverPackages: why it is skipped (null: it runs) and the environment its server runs in. */
export function serverStack(python: string): { missing: string | null; env: Record<string, string> } {
  const found = serverPackages(python);
  return 'missing' in found ? { missing: found.missing, env: {} } : { missing: null, env: found.env };
}

/** GET http://127.0.0.1:PORT/ROUTE's body; a server that does not answer in 20 s fails the request (a busy machine takes seconds). */
export function httpGet(port: number, route: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: route, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`GET ${route} timed out`)));
  });
}
