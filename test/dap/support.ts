/**
 * DAP integration-test harness: the real adapter process (node
 * dist/adapter.js, so build first) driven by @vscode/debugadapter-testsupport's
 * DebugClient, debugging real Python programs with real gevent under the
 * real runtime. Every message both ways is recorded; a failing test's error
 * carries the whole transcript.
 */
import type { GreenletStatusBody } from '../../shared/protocol/custom-dap';
import type { StopInfo } from '../../shared/protocol/stop';
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { STACK_PYTHON } from '../support/stacks';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ADAPTER = path.join(ROOT, 'dist', 'adapter.js');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const PROGRAMS = path.join(ROOT, 'test', 'programs');
export const RUNTIME_DIR = path.join(ROOT, 'runtime-instrumentation');
/** The stack's Python (scripts/stacks.mjs sets it per stack). */
export const PYTHON = STACK_PYTHON;
/** Python start-up and the first connection are slow on loaded machines. */
export const TIMEOUT = 20_000;
/** Seed examples sleep for seconds; scaled down, the order of events is the same. */
export const QUICK = { SEED_SCALE: '0.05' };

export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-dap-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let counter = 0;
export function tmpFile(name: string): string {
  counter += 1;
  return path.join(tmp, `${counter}-${name}`);
}

type Raw = {
  doSend(command: string, args: unknown, cb: (r: DebugProtocol.Response) => void): void;
  dispatch(body: string): void;
  _adapterProcess: ChildProcess | null;
};

/** One adapter process and its recorded conversation. */
export class Dap {
  readonly client: DebugClient;
  readonly transcript: string[] = [];
  /** Events by name, in arrival order; `next` consumes from the front. */
  private readonly events = new Map<string, DebugProtocol.Event[]>();
  private readonly waiters = new Map<string, ((e: DebugProtocol.Event) => void)[]>();
  readonly all: DebugProtocol.Event[] = [];
  private adapterStderr = '';
  /** Exited (after a disconnect, or killed by the test): there is no adapter left to send `disconnect` to. */
  private adapterGone = false;

  constructor() {
    this.client = new DebugClient('node', ADAPTER, 'greenlet', { cwd: ROOT, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    this.client.defaultTimeout = TIMEOUT;
    const raw = this.client as unknown as Raw;
    const doSend = raw.doSend.bind(this.client);
    raw.doSend = (command, args, cb) => {
      this.transcript.push(`→ ${JSON.stringify({ command, arguments: args })}`);
      doSend(command, args, cb);
    };
    const dispatch = raw.dispatch.bind(this.client);
    raw.dispatch = (body) => {
      this.transcript.push(`← ${body}`);
      const msg = JSON.parse(body) as DebugProtocol.ProtocolMessage;
      if (msg.type === 'event') this.onEvent(msg as DebugProtocol.Event);
      dispatch(body);
    };
  }

  async start(): Promise<void> {
    await this.client.start();
    const proc = (this.client as unknown as Raw)._adapterProcess;
    proc?.stderr?.on('data', (d: Buffer) => (this.adapterStderr += d.toString()));
    proc?.once('exit', () => (this.adapterGone = true));
  }

  /** Any request, answered or refused: the whole response (error id included). */
  request(command: string, args?: object): Promise<DebugProtocol.Response> {
    const raw = this.client as unknown as Raw;
    return withTimeout(new Promise((resolve) => raw.doSend(command, args ?? {}, resolve)), TIMEOUT, `no response to ${command}`);
  }

  /** The next event of this name not yet taken (it may have arrived already). */
  next<E extends DebugProtocol.Event = DebugProtocol.Event>(name: string, timeoutMs = TIMEOUT): Promise<E> {
    const queued = this.events.get(name);
    if (queued !== undefined && queued.length > 0) return Promise.resolve(queued.shift() as E);
    return withTimeout(
      new Promise<E>((resolve) => {
        const list = this.waiters.get(name) ?? [];
        list.push(resolve as (e: DebugProtocol.Event) => void);
        this.waiters.set(name, list);
      }),
      timeoutMs,
      `no "${name}" event within ${timeoutMs} ms`,
    );
  }

  /** The next event of any of these names (waiting on several without losing the others). */
  async nextOf(names: string[], timeoutMs = TIMEOUT): Promise<DebugProtocol.Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const name of names) {
        const queued = this.events.get(name);
        if (queued !== undefined && queued.length > 0) return queued.shift()!;
      }
      if (Date.now() > deadline) throw new Error(`none of ${names.join(', ')} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  nextStop(): Promise<DebugProtocol.StoppedEvent> {
    return this.next<DebugProtocol.StoppedEvent>('stopped');
  }

  /** The facts of the next stop, from the adapter's `greenletStatus` stream (the board's view of it). */
  async nextStopFacts(): Promise<StopInfo> {
    for (;;) {
      const body = (await this.next('greenletStatus')).body as GreenletStatusBody;
      if (body.kind === 'stopped') return body.stop;
    }
  }

  output(category?: string): string {
    return this.all
      .filter((e) => e.event === 'output' && (category === undefined || (e as DebugProtocol.OutputEvent).body.category === category))
      .map((e) => (e as DebugProtocol.OutputEvent).body.output)
      .join('');
  }

  /** initialize, launch (or attach), breakpoints, exception filters, configurationDone. */
  async begin(
    request: 'launch' | 'attach',
    args: object,
    setup: { breakpoints?: { path: string; lines: number[] }[]; exceptionFilters?: string[] } = {},
  ): Promise<void> {
    await this.client.initializeRequest();
    // The watchdog only where a test asks for it: on a loaded machine a busy
    // program it is not about could be stopped as a blocked loop first.
    const withWatchdog = 'blockedLoopMs' in args ? args : { ...args, blockedLoopMs: 0 };
    const r = await this.request(request, withWatchdog);
    if (!r.success) throw new Error(`${request} failed: ${r.message}`);
    await this.next('initialized');
    for (const bp of setup.breakpoints ?? []) {
      const set = await this.client.setBreakpointsRequest({ source: { path: bp.path }, breakpoints: bp.lines.map((line) => ({ line })) });
      if (!set.body.breakpoints.every((b) => b.verified)) throw new Error(`breakpoints not verified: ${JSON.stringify(set.body)}`);
    }
    if (setup.exceptionFilters !== undefined) await this.client.setExceptionBreakpointsRequest({ filters: setup.exceptionFilters });
    await this.client.configurationDoneRequest();
  }

  async stop(): Promise<void> {
    if (this.adapterGone) return;
    await withTimeout(this.client.stop(), 10_000, 'adapter did not stop').catch(() => undefined);
  }

  /** The adapter process's pid. */
  adapterPid(): number {
    const pid = (this.client as unknown as Raw)._adapterProcess?.pid;
    if (pid === undefined) throw new Error('no adapter process');
    return pid;
  }

  /** Sends the adapter process a signal, as a client or a terminal would; resolves with its exit status. */
  async killAdapter(signal: NodeJS.Signals): Promise<number | null> {
    const proc = (this.client as unknown as Raw)._adapterProcess;
    if (proc === null) throw new Error('no adapter process');
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill(signal);
    return withTimeout(exited, 10_000, `the adapter did not exit on ${signal}`);
  }

  dump(): string {
    const stderr = this.adapterStderr.trim() === '' ? '' : `\n--- adapter stderr ---\n${this.adapterStderr}`;
    return `\n--- DAP transcript (${this.transcript.length} messages) ---\n${this.transcript.join('\n')}${stderr}`;
  }

  private onEvent(e: DebugProtocol.Event): void {
    this.all.push(e);
    const waiting = this.waiters.get(e.event);
    if (waiting !== undefined && waiting.length > 0) {
      waiting.shift()!(e);
      return;
    }
    const list = this.events.get(e.event) ?? [];
    list.push(e);
    this.events.set(e.event, list);
  }
}

/** A test with its own adapter; on failure the error carries the DAP transcript. */
export function dapTest(name: string, body: (dap: Dap) => Promise<void>, timeoutMs = 60_000): void {
  test(name, { timeout: timeoutMs }, async () => {
    const dap = new Dap();
    await dap.start();
    try {
      await body(dap);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      // The reporter prints the stack, which was fixed when the error was made.
      const dump = dap.dump();
      e.message += dump;
      e.stack = `${e.stack ?? ''}${dump}`;
      throw e;
    } finally {
      await dap.stop();
    }
  });
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms))),
  ]);
}

export { lineOf } from '../support/source-lines';

/** `greenlet-lens record` of the same program, for comparison. */
export function record(program: string, env: Record<string, string> = {}): string {
  const trace = tmpFile(path.basename(program) + '.glt');
  const r = spawnSync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '--', program], {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000,
  });
  if (!fs.existsSync(trace)) throw new Error(`record failed: ${r.status}\n${r.stderr}`);
  return trace;
}

export function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The stack of a thread, up to 50 frames. */
export async function frames(dap: Dap, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  const r = await dap.client.stackTraceRequest({ threadId, startFrame: 0, levels: 50 });
  return r.body.stackFrames;
}

export async function variablesOf(dap: Dap, ref: number): Promise<Record<string, string>> {
  const r = await dap.client.variablesRequest({ variablesReference: ref });
  return Object.fromEntries(r.body.variables.map((v) => [v.name, v.value]));
}

/** Whether process `pid` runs. A zombie does not: it is dead, merely not reaped (a container's init may never reap it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once none of `pids` runs; rejects naming the survivors after `ms`. */
export async function allGone(pids: number[], ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new Error(`still running after ${ms} ms: ${pids.filter(alive).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a line of the program's stdout matching `pattern`; returns the match. */
export async function stdoutMatch(dap: Dap, pattern: RegExp, ms = TIMEOUT): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(dap.output('stdout'));
    if (m !== null) return m;
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} on the program's stdout within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A program started under `listen`: its port, its exit (the code, -1 when a signal ended it), and a SIGKILL. */
export interface ListeningProgram {
  readonly port: number;
  readonly exited: Promise<number | null>;
  readonly kill: () => void;
}

/** Waits until `child` (started under `listen --port port`) says it listens. */
export async function whenListening(child: ChildProcess, port: number): Promise<ListeningProgram> {
  let stderr = '';
  const ready = new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes(`listening on 127.0.0.1:${port}`)) resolve();
  }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig !== null ? -1 : null))));
  await withTimeout(ready, 20_000, `the program did not say it listens:\n${stderr}`);
  return { port, exited, kill: () => child.kill('SIGKILL') };
}
