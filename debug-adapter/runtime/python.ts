/**
 * Checks the chosen interpreter before the program starts: a Python without
 * gevent would otherwise fail inside the runtime with a traceback the user
 * has to decode. Asynchronous, because inside VS Code the session runs in the
 * extension host, which must not block.
 */
import { execFile } from 'child_process';
import { geventMissing, pythonNotFound } from '../errors';

const CHECK_TIMEOUT_MS = 30_000;

/**
 * Runs `python -c 'import gevent'` the way the program will run: in its cwd
 * (a `gevent` folder or a .pth there changes what imports) with its
 * environment (PYTHONPATH, a virtualenv's PATH; a bare interpreter name is
 * looked up on that PATH).
 */
export function checkPython(python: string, env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', 'import gevent'], { cwd, env, timeout: CHECK_TIMEOUT_MS, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (err === null) {
        resolve();
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') {
        reject(pythonNotFound(python, code === 'ENOENT' ? 'not found' : 'permission denied'));
        return;
      }
      if (err.killed) {
        reject(pythonNotFound(python, `"${python} -c 'import gevent'" did not finish within ${CHECK_TIMEOUT_MS / 1000} s`));
        return;
      }
      const lastLine = stderr.trim().split('\n').at(-1) ?? '';
      reject(geventMissing(python, lastLine !== '' ? lastLine : err.message));
    });
  });
}
