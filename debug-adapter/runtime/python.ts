/**
 * Checks the chosen interpreter before the program starts: a Python without
 * greenlet would otherwise fail inside the runtime with a traceback the user
 * has to decode. The probe is the one the CLI and the extension use
 * (shared/node/python-probe.ts); here its answer becomes an adapter error.
 */
import { probePython, type PythonInfo } from '../../shared/node/python-probe';
import { geventMissing, pythonNotFound } from '../errors';

/**
 * Probes `python` the way the program will run: in its cwd (a `gevent`
 * folder or a .pth there changes what imports) with its environment
 * (PYTHONPATH, a virtualenv's PATH; a bare interpreter name is looked up on
 * that PATH). Resolves to what it offers: gevent, or greenlet only.
 */
export async function checkPython(python: string, env: NodeJS.ProcessEnv, cwd: string, runtimeDir?: string): Promise<PythonInfo> {
  const result = await probePython(python, { cwd, env, runtimeDir });
  if (result.ok) return result.info;
  if (result.reason === 'notFound') throw pythonNotFound(python, result.detail === 'not executable' ? 'permission denied' : result.detail);
  throw geventMissing(python, result.detail);
}
