/**
 * Choosing the Python interpreter for `record`: the one the user named
 * (--python, then $GREENLET_LENS_PYTHON), otherwise the usual system ones,
 * the first with gevent winning over the first with greenlet only (which
 * records plain greenlet programs). A named interpreter is used or refused,
 * never silently replaced: recording under a different Python than asked for
 * would be a confusing surprise.
 */

import { installAdvice, probePythonSync, type PythonInfo } from '../shared/node/python-probe';

export interface PythonProbe {
  readonly command: string;
  readonly source: string;
  /** Why it was not usable; null when it has greenlet (and so runs the runtime). */
  readonly problem: string | null;
  readonly info: PythonInfo | null;
}

export interface PythonChoice {
  readonly python: string | null;
  /** What the chosen interpreter offers (gevent, or greenlet only). */
  readonly info: PythonInfo | null;
  readonly tried: PythonProbe[];
}

export function candidates(explicit: string | undefined, env: NodeJS.ProcessEnv): [string, string][] {
  if (explicit !== undefined) return [[explicit, '--python']];
  const fromEnv = env['GREENLET_LENS_PYTHON'];
  if (fromEnv !== undefined && fromEnv !== '') return [[fromEnv, '$GREENLET_LENS_PYTHON']];
  return [['python3', 'PATH'], ['/usr/bin/python3', 'default']];
}

export function probe(command: string, source: string, env: NodeJS.ProcessEnv, runtimeDir?: string): PythonProbe {
  const r = probePythonSync(command, { env, runtimeDir, timeoutMs: 60_000 });
  return r.ok ? { command, source, problem: null, info: r.info } : { command, source, problem: r.detail, info: null };
}

export function findPython(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, runtimeDir?: string): PythonChoice {
  const tried: PythonProbe[] = [];
  for (const [command, source] of candidates(explicit, env)) {
    const result = probe(command, source, env, runtimeDir);
    tried.push(result);
    if (result.info !== null && result.info.gevent !== null) return { python: command, info: result.info, tried };
  }
  const greenletOnly = tried.find((p) => p.info !== null);
  return greenletOnly !== undefined ? { python: greenletOnly.command, info: greenletOnly.info, tried } : { python: null, info: null, tried };
}

export function noPythonMessage(tried: readonly PythonProbe[]): string {
  const list = tried.map((p) => `${p.command} (${p.source}): ${p.problem}`).join('; ');
  return (
    `no Python interpreter that can import gevent, or greenlet for plain greenlet programs, was found (tried ${list}).\n` +
    `${installAdvice('python3')},\n` +
    'or choose an interpreter that has it with --python PY or GREENLET_LENS_PYTHON=PY.'
  );
}
