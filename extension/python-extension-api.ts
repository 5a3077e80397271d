/**
 * The slice of the Python extension's (ms-python.python) exported API used
 * to find its selected interpreter, typed locally so Greenlet Lens needs no
 * dependency on that extension and works without it. Every member is
 * checked before use: the exports are `unknown` and older versions of the
 * extension lack the `environments` API. No `vscode` import.
 */

export interface EnvironmentPath {
  readonly id: string;
  /** The interpreter's path, or the environment's folder when it has no interpreter yet. */
  readonly path: string;
}

export interface ResolvedEnvironment {
  readonly executable: { readonly uri?: { readonly fsPath: string } | undefined };
}

export interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: unknown): EnvironmentPath | undefined;
  resolveEnvironment(environment: EnvironmentPath | string): PromiseLike<ResolvedEnvironment | undefined>;
}

export function environmentsApi(exports: unknown): PythonEnvironmentsApi | undefined {
  if (typeof exports !== 'object' || exports === null) return undefined;
  const environments = (exports as Record<string, unknown>)['environments'];
  if (typeof environments !== 'object' || environments === null) return undefined;
  const api = environments as Record<string, unknown>;
  if (typeof api['getActiveEnvironmentPath'] !== 'function' || typeof api['resolveEnvironment'] !== 'function') {
    return undefined;
  }
  return environments as PythonEnvironmentsApi;
}

/**
 * The id the Python extension reports when no interpreter was selected and
 * its path is just the `python` command: not a choice the user made, so
 * Greenlet Lens's own defaults apply (on Debian `python` may not exist).
 */
export const UNSELECTED_ENVIRONMENT_ID = 'DEFAULT_PYTHON';

/**
 * The interpreter selected for `resource` (a workspace folder or file): the
 * resolved executable when the extension knows it, else the active path;
 * undefined when nothing was selected.
 */
export async function selectedInterpreter(api: PythonEnvironmentsApi, resource: unknown): Promise<string | undefined> {
  const active = api.getActiveEnvironmentPath(resource);
  if (active === undefined || active.id === UNSELECTED_ENVIRONMENT_ID) return undefined;
  const resolved = await api.resolveEnvironment(active);
  const executable = resolved?.executable.uri?.fsPath;
  if (typeof executable === 'string' && executable !== '') return executable;
  return typeof active.path === 'string' && active.path !== '' ? active.path : undefined;
}
