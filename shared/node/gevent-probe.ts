/**
 * Asks an interpreter whether it can import gevent (`PY -c "import gevent"`),
 * asynchronously so a slow interpreter never blocks the extension host, in the
 * cwd and environment the program will get: both decide what imports (a pyenv
 * local version, a PYTHONPATH in `env`, a virtualenv's PATH for a bare name).
 * Shared by the extension (choosing an interpreter) and the adapter (checking
 * the chosen one); each words the failure its own way.
 */
import { execFile } from 'child_process';

export type ProbeResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'notFound' | 'noGevent' | 'timeout'; readonly detail: string };

export interface ProbeOptions {
  readonly cwd?: string | undefined;
  /** The complete environment to run with (see mergeEnv). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly timeoutMs?: number;
}

export const PROBE_TIMEOUT_MS = 30_000;

export function probeGevent(python: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', 'import gevent'],
      { cwd: options.cwd, env: options.env ?? process.env, timeout, windowsHide: true, encoding: 'utf8' },
      (error, _stdout, stderr) => {
        if (error === null) return resolve({ ok: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          return resolve({ ok: false, reason: 'notFound', detail: code === 'ENOENT' ? 'not found' : 'not executable' });
        }
        if (error.killed) {
          return resolve({ ok: false, reason: 'timeout', detail: `"${python} -c 'import gevent'" did not finish within ${timeout / 1000} s` });
        }
        const lastLine = String(stderr).trim().split('\n').at(-1)?.trim() ?? '';
        resolve({ ok: false, reason: 'noGevent', detail: lastLine !== '' ? lastLine : error.message });
      },
    );
  });
}

/** base, then overrides as launch.json gives them: null removes a variable. */
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
