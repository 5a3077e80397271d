/**
 * Starting the debuggee: `PY -m greenlet_lens debug [--trace FILE] -- program
 * args` (or `-m module args`) with the runtime on PYTHONPATH and the channel's
 * address and secret in its environment. It runs in its own process group so
 * that ending the session ends everything the program started.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { findRuntimeDir } from '../../cli/runtime-path';
import { AdapterError, AdapterErrorId } from '../errors';
import type { LaunchConfig } from './launch-config';
import { TypedEmitter } from './typed-emitter';

/** How long a terminated program gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2000;
const STDERR_TAIL_CHARS = 4000;

export interface ExitInfo {
  /** The exit status, or 128 + n for a program ended by signal n. */
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
}

export interface DebuggeeEvents {
  output: { category: 'stdout' | 'stderr'; text: string };
  exit: ExitInfo;
}

/** The runtime package's folder: ../runtime-instrumentation from dist/, or found by walking up from out/. */
export function runtimeDir(): string {
  const dir = findRuntimeDir(__dirname);
  if (dir === null) {
    throw new AdapterError(
      AdapterErrorId.RuntimeFilesMissing,
      `cannot find the runtime-instrumentation folder (the greenlet_lens Python package) near ${__dirname}; ` +
        'the adapter must run from a Greenlet Lens checkout or package.',
    );
  }
  return dir;
}

/** The interpreter's command line after the interpreter itself. */
export function runtimeArgs(config: LaunchConfig): string[] {
  const args = ['-m', 'greenlet_lens', 'debug'];
  if (config.trace !== null) args.push('--trace', config.trace);
  if (config.target.kind === 'program') args.push('--', config.target.path);
  else args.push('-m', config.target.name);
  return args.concat(config.args);
}

/** The adapter's environment, then the configuration's (null removes a variable), then the runtime's own. */
export function debuggeeEnv(config: LaunchConfig, base: NodeJS.ProcessEnv, extra: Record<string, string>, rtDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [name, value] of Object.entries(config.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const oldPath = env['PYTHONPATH'];
  env['PYTHONPATH'] = oldPath ? `${rtDir}${path.delimiter}${oldPath}` : rtDir;
  // Output goes to a pipe; unbuffered, it reaches the Debug Console as the program writes it.
  if (env['PYTHONUNBUFFERED'] === undefined) env['PYTHONUNBUFFERED'] = '1';
  return { ...env, ...extra };
}

export class Debuggee extends TypedEmitter<DebuggeeEvents> {
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private tail = '';
  private exitInfo: ExitInfo | null = null;

  constructor(python: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    super();
    this.child = spawn(python, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', (err) => {
        reject(new AdapterError(AdapterErrorId.SpawnFailed, `cannot start ${python}: ${err.message}`));
      });
      this.child.once('exit', (code, signal) => {
        const info: ExitInfo = { code: code ?? 128 + (signal !== null ? os.constants.signals[signal] ?? 0 : 0), signal };
        this.exitInfo = info;
        // Output still in the pipes comes before the exit; a grandchild holding them open must not delay it for long.
        let reported = false;
        const report = (): void => {
          if (reported) return;
          reported = true;
          clearTimeout(timer);
          resolve(info);
          this.emit('exit', info);
        };
        const timer = setTimeout(report, 300);
        this.child.once('close', report);
      });
    });
    // A spawn failure is reported through `exited`; this keeps it from also being an unhandled rejection.
    this.exited.catch(() => undefined);
    for (const category of ['stdout', 'stderr'] as const) {
      const stream = this.child[category]!;
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        if (category === 'stderr') this.tail = (this.tail + text).slice(-STDERR_TAIL_CHARS);
        this.emit('output', { category, text });
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === null && this.child.pid !== undefined;
  }

  /** The last few KB the program wrote to stderr, for error messages. */
  get stderrTail(): string {
    return this.tail;
  }

  /** SIGTERM to the whole process group, SIGKILL after the grace period; resolves once the program is gone. */
  async terminate(graceMs = KILL_GRACE_MS): Promise<void> {
    if (!this.running) return;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    await this.exited.catch(() => undefined);
    clearTimeout(timer);
  }

  /** For the adapter's own exit, which cannot wait: kill the group at once. */
  killNow(): void {
    if (this.running) this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already (ESRCH): nothing left to stop.
    }
  }
}
