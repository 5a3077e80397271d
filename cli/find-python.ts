/**
 * Choosing the Python interpreter for `record`: the one the user named
 * (--python, then $GREENLET_LENS_PYTHON), otherwise the usual system ones.
 * A named interpreter is used or refused, never silently replaced: recording
 * under a different Python than asked for would be a confusing surprise.
 */

import { spawnSync } from 'child_process';

export interface PythonProbe {
  readonly command: string;
  readonly source: string;
  /** Why it was not usable; null when it can import gevent. */
  readonly problem: string | null;
}

export interface PythonChoice {
  readonly python: string | null;
  readonly tried: PythonProbe[];
}

export function candidates(explicit: string | undefined, env: NodeJS.ProcessEnv): [string, string][] {
  if (explicit !== undefined) return [[explicit, '--python']];
  const fromEnv = env['GREENLET_LENS_PYTHON'];
  if (fromEnv !== undefined && fromEnv !== '') return [[fromEnv, '$GREENLET_LENS_PYTHON']];
  return [['python3', 'PATH'], ['/usr/bin/python3', 'default']];
}

export function probe(command: string, source: string): PythonProbe {
  const run = spawnSync(command, ['-c', 'import gevent'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000, encoding: 'utf8' });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return { command, source, problem: code === 'ENOENT' ? 'not found' : run.error.message };
  }
  if (run.status === 0) return { command, source, problem: null };
  const lastLine = (run.stderr ?? '').trim().split('\n').at(-1) ?? '';
  return { command, source, problem: lastLine !== '' ? lastLine : `exited with status ${run.status ?? run.signal}` };
}

export function findPython(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): PythonChoice {
  const tried: PythonProbe[] = [];
  for (const [command, source] of candidates(explicit, env)) {
    const result = probe(command, source);
    tried.push(result);
    if (result.problem === null) return { python: command, tried };
  }
  return { python: null, tried };
}

export function noPythonMessage(tried: readonly PythonProbe[]): string {
  const list = tried.map((p) => `${p.command} (${p.source}): ${p.problem}`).join('; ');
  return (
    `no Python interpreter that can import gevent was found (tried ${list}).\n` +
    'Install gevent with "sudo apt-get install python3-gevent" (Debian/Ubuntu) or "python3 -m pip install gevent",\n' +
    'or choose an interpreter that has it with --python PY or GREENLET_LENS_PYTHON=PY.'
  );
}
