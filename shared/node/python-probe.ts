/**
 * The one interpreter probe: what a Python offers the runtime, asked of the
 * runtime itself (runtime-instrumentation/greenlet_lens/probe.py prints the
 * fields of a trace header: Python, greenlet and gevent versions, gevent's
 * build, and why an import failed). It runs in the cwd and environment the
 * program will get, since both decide what imports (a pyenv local version, a
 * PYTHONPATH in `env`, a virtualenv's PATH for a bare name). The CLI asks
 * synchronously; the adapter and the extension asynchronously, so a slow
 * interpreter never blocks the extension host.
 *
 * A Python with gevent runs in gevent mode; one with greenlet but not gevent
 * records plain greenlet programs; one without greenlet cannot run the runtime.
 */
import { execFile, spawnSync } from 'child_process';
import { findRuntimeDir } from './runtime-path';
import { runtimeMode, type RuntimeMode, type RuntimeVersions } from '../runtime-versions';

export interface PythonInfo extends RuntimeVersions {
  readonly implementation: string;
  readonly loop: string | null;
  /** Why greenlet or gevent did not import ("ModuleNotFoundError: No module named 'gevent'"). */
  readonly importErrors: { readonly greenlet?: string; readonly gevent?: string };
}

export type ProbeResult =
  | { readonly ok: true; readonly info: PythonInfo; readonly mode: RuntimeMode }
  | {
      readonly ok: false;
      /** notFound: it cannot be run; noGreenlet: it runs without greenlet; failed: the probe itself failed. */
      readonly reason: 'notFound' | 'noGreenlet' | 'timeout' | 'failed';
      readonly detail: string;
    };

export interface ProbeOptions {
  readonly cwd?: string | undefined;
  /** The complete environment to run with (see mergeEnv). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly timeoutMs?: number | undefined;
  /** The runtime-instrumentation folder; found next to this code when not given. */
  readonly runtimeDir?: string | undefined;
}

export const PROBE_TIMEOUT_MS = 30_000;

/** The commands that install gevent (and with it greenlet), for messages and a "copy" button. */
export function installCommands(python: string): { readonly apt: string; readonly pip: string } {
  return { apt: 'sudo apt-get install python3-gevent', pip: `${shellQuote(python)} -m pip install gevent` };
}

/** The advice every "no usable Python" message ends with. */
export function installAdvice(python: string): string {
  const { apt, pip } = installCommands(python);
  return `Install gevent (it brings greenlet) with "${apt}" (Debian/Ubuntu system Python) or "${pip}"`;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

function probeArgs(runtimeDir: string | undefined): string[] | null {
  const dir = runtimeDir ?? findRuntimeDir(__dirname);
  if (dir === null) return null;
  return ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(dir)}); from greenlet_lens.probe import main; main()`];
}

const NO_RUNTIME: ProbeResult = { ok: false, reason: 'failed', detail: 'the runtime-instrumentation folder is not next to Greenlet Lens' };

/** The probe's answer from how the process ended. */
function interpret(python: string, timeoutMs: number, error: NodeJS.ErrnoException | null, killed: boolean, stdout: string, stderr: string): ProbeResult {
  const code = error?.code;
  if (code === 'ENOENT' || code === 'EACCES') return { ok: false, reason: 'notFound', detail: code === 'ENOENT' ? 'not found' : 'not executable' };
  if (killed) return { ok: false, reason: 'timeout', detail: `${python} did not answer the probe within ${timeoutMs / 1000} s` };
  const line = stdout.trim().split('\n').at(-1) ?? '';
  let info: PythonInfo | null = null;
  try {
    const v = JSON.parse(line) as PythonInfo;
    if (typeof v === 'object' && v !== null && typeof v.python === 'string') info = { ...v, importErrors: v.importErrors ?? {} };
  } catch {
    info = null;
  }
  if (info === null) {
    const last = stderr.trim().split('\n').at(-1)?.trim() ?? '';
    return { ok: false, reason: 'failed', detail: last !== '' ? last : error?.message ?? `${python} gave no answer` };
  }
  if (info.greenlet === null) return { ok: false, reason: 'noGreenlet', detail: info.importErrors.greenlet ?? 'greenlet is not installed' };
  return { ok: true, info, mode: runtimeMode(info) };
}

export function probePython(python: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const args = probeArgs(options.runtimeDir);
  if (args === null) return Promise.resolve(NO_RUNTIME);
  return new Promise((resolve) => {
    execFile(python, args, { cwd: options.cwd, env: options.env ?? process.env, timeout, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = typeof error?.code === 'string' ? error.code : undefined;
        resolve(interpret(python, timeout, error === null ? null : { ...error, code }, error?.killed === true, String(stdout), String(stderr)));
      });
  });
}

/** The same, blocking: for the command line, which has nothing else to do meanwhile. */
export function probePythonSync(python: string, options: ProbeOptions = {}): ProbeResult {
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const args = probeArgs(options.runtimeDir);
  if (args === null) return NO_RUNTIME;
  const r = spawnSync(python, args, { cwd: options.cwd, env: options.env ?? process.env, timeout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const spawnError = r.error as NodeJS.ErrnoException | undefined;
  const timedOut = spawnError?.code === 'ETIMEDOUT';
  const error = timedOut ? null : spawnError ?? (r.status !== 0 ? new Error(`exited with status ${r.status ?? r.signal}`) : null);
  return interpret(python, timeout, error, timedOut, r.stdout ?? '', r.stderr ?? '');
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
