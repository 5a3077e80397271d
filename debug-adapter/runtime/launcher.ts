/**
 * Starting the debuggee: `PY -m greenlet_lens debug [--trace FILE] -- program
 * args` (or `-m module args`) with the runtime on PYTHONPATH, the channel as
 * an inherited socket pair (descriptor 3, named in its environment with the
 * secret), so no port is open for other local users to race for. It runs in
 * its own process group so that ending the session ends everything the
 * program started.
 */
import { spawn, type ChildProcess } from 'child_process';
import type * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { findRuntimeDir } from '../../shared/node/runtime-path';
import { AdapterError, AdapterErrorId, asAdapterError } from '../errors';
import type { LaunchConfig } from './launch-config';
import { groupAlive, signalGroup, waitUntil } from './process-group';
import { TypedEmitter } from './typed-emitter';
import { mergeEnv } from '../../shared/node/python-probe';

/** How long a terminated program gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2000;
/** The child's descriptor for the channel: the fourth of its stdio. */
export const CHANNEL_FD = 3;
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
  const env = mergeEnv(base, config.env);
  const oldPath = env['PYTHONPATH'];
  env['PYTHONPATH'] = oldPath ? `${rtDir}${path.delimiter}${oldPath}` : rtDir;
  // Output goes to a pipe; unbuffered, it reaches the Debug Console as the program writes it.
  if (env['PYTHONUNBUFFERED'] === undefined) env['PYTHONUNBUFFERED'] = '1';
  return { ...env, ...extra };
}

/**
 * Debuggees whose process group the adapter still answers for, so that the
 * adapter process can end them however it goes away (main.ts).
 */
const owned = new Set<Debuggee>();

/**
 * SIGKILL to the group of every program still owned, for an adapter that is
 * exiting and cannot wait. Returns the groups that could not be signalled.
 */
export function killAllDebuggees(): AdapterError[] {
  const failed: AdapterError[] = [];
  for (const d of [...owned]) {
    try {
      d.killNow();
    } catch (err) {
      failed.push(asAdapterError(err, AdapterErrorId.TerminateFailed));
    }
  }
  return failed;
}

export class Debuggee extends TypedEmitter<DebuggeeEvents> {
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private tail = '';
  private exitInfo: ExitInfo | null = null;
  /** Never signal the group again: the program is not ours to end any more, or its group is known gone. */
  private released = false;
  private terminating = false;

  constructor(python: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    super();
    this.child = spawn(python, args, {
      cwd, env: { ...env, GREENLET_LENS_CHANNEL_FD: String(CHANNEL_FD) }, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid !== undefined) owned.add(this);
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', (err) => {
        this.release();
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

  /** The adapter's end of the channel's socket pair (null when the spawn failed). */
  get channelSocket(): net.Socket | null {
    return (this.child.stdio[CHANNEL_FD] as net.Socket | null | undefined) ?? null;
  }

  get running(): boolean {
    return this.exitInfo === null && this.child.pid !== undefined;
  }

  /** The last few KB the program wrote to stderr, for error messages. */
  get stderrTail(): string {
    return this.tail;
  }

  /**
   * The program is no longer the adapter's to end: it ended by itself (what
   * it left running lives on, as after `python3 app.py` in a terminal) or the
   * user detached. Its group is not signalled after this, because once empty
   * the group's id may be reused by an unrelated process.
   */
  release(): void {
    if (this.terminating) return;
    this.released = true;
    owned.delete(this);
  }

  /**
   * Ends the program and everything it started: SIGTERM to the whole process
   * group, SIGKILL to what is left after the grace period. Works after the
   * leader has exited too (the runtime exits by itself on `disconnect`), as
   * long as members remain. Resolves once leader and group are gone; rejects
   * with TerminateFailed when the group cannot be signalled.
   */
  async terminate(graceMs = KILL_GRACE_MS): Promise<void> {
    const pgid = this.child.pid;
    if (pgid === undefined || this.released || this.terminating) {
      await this.exited.catch(() => undefined);
      return;
    }
    this.terminating = true;
    try {
      if (signalGroup(pgid, 'SIGTERM')) {
        const gone = await waitUntil(() => !this.running && !groupAlive(pgid), graceMs);
        if (!gone) signalGroup(pgid, 'SIGKILL');
      }
      await this.exited.catch(() => undefined);
    } finally {
      this.terminating = false;
      this.release();
    }
  }

  /** For the adapter's own exit, which cannot wait: SIGKILL to the group at once. */
  killNow(): void {
    const pgid = this.child.pid;
    if (pgid === undefined || this.released) return;
    this.terminating = false;
    try {
      signalGroup(pgid, 'SIGKILL');
    } finally {
      this.release();
    }
  }
}
