/**
 * Asks an interpreter whether it can import gevent (`PY -c "import gevent"`),
 * asynchronously so a slow interpreter never blocks the extension host. It
 * runs in the launch's cwd and environment because both decide what imports
 * (a pyenv local version, a PYTHONPATH in `env`). No `vscode` import.
 */

import { execFile } from 'child_process';
import type { ProbeResult } from './python-choice';

export interface ProbeOptions {
  readonly cwd?: string | undefined;
  /** The launch configuration's `env`: null removes a variable, as in launch.json. */
  readonly env?: Readonly<Record<string, string | null>> | undefined;
  readonly timeoutMs?: number;
}

export function probeGevent(python: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', 'import gevent'],
      { cwd: options.cwd, env: mergeEnv(process.env, options.env), timeout: options.timeoutMs ?? 30_000, windowsHide: true },
      (error, _stdout, stderr) => {
        if (error === null) return resolve({ ok: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          return resolve({ ok: false, reason: 'notFound', detail: code === 'ENOENT' ? 'not found' : 'not executable' });
        }
        if (error.killed) return resolve({ ok: false, reason: 'noGevent', detail: 'importing gevent timed out' });
        const lastLine = String(stderr).trim().split('\n').at(-1)?.trim() ?? '';
        resolve({ ok: false, reason: 'noGevent', detail: lastLine !== '' ? lastLine : error.message });
      },
    );
  });
}

export function mergeEnv(
  base: NodeJS.ProcessEnv,
  overrides: Readonly<Record<string, string | null>> | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}
