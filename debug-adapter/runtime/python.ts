/**
 * Checks the chosen interpreter before the program starts: a Python without
 * gevent would otherwise fail inside the runtime with a traceback the user
 * has to decode. The probe itself is shared with the extension
 * (shared/node/gevent-probe.ts); here its answer becomes an adapter error.
 */
import { probeGevent } from '../../shared/node/gevent-probe';
import { geventMissing, pythonNotFound } from '../errors';

/**
 * Runs `python -c 'import gevent'` the way the program will run: in its cwd
 * (a `gevent` folder or a .pth there changes what imports) with its
 * environment (PYTHONPATH, a virtualenv's PATH; a bare interpreter name is
 * looked up on that PATH).
 */
export async function checkPython(python: string, env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  const result = await probeGevent(python, { cwd, env });
  if (result.ok) return;
  if (result.reason === 'noGevent') throw geventMissing(python, result.detail);
  throw pythonNotFound(python, result.detail === 'not executable' ? 'permission denied' : result.detail);
}
