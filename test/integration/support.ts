/**
 * Integration-test helpers: run real Python programs with real gevent under
 * the real recorder (through the built CLI), then read the trace with the
 * shared reader and model.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceState, GreenletView } from '../../shared/model/state';
import type { TraceEvent } from '../../shared/trace/events';
import { readTraceFile, type TraceReadResult } from '../../shared/trace/read-file';
import { STACK_PYTHON } from '../support/stacks';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const PROGRAMS = path.join(ROOT, 'test', 'programs');
/** The stack's Python (scripts/stacks.mjs sets it per stack). */
export const PYTHON = STACK_PYTHON;
/** Seed examples sleep for seconds; scaled down, the order of events is the same. */
export const QUICK = { SEED_SCALE: '0.05' };

export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-it-'));
let counter = 0;
export function tmpFile(name: string): string {
  counter += 1;
  return path.join(tmp, `${counter}-${name}`);
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Recording extends Run {
  trace: string;
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** `greenlet-lens record` of a program, as a user runs it. */
export function record(program: string, args: string[] = [], extra: Record<string, string> = {}, cwd = ROOT): Recording {
  const trace = tmpFile(path.basename(program) + '.glt');
  const r = spawnSync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '--', program, ...args], {
    cwd, env: env(extra), encoding: 'utf8', timeout: 120_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, trace };
}

/** The same program run plainly, for side-by-side comparison. */
export function plain(program: string, args: string[] = [], extra: Record<string, string> = {}, cwd = ROOT): Run {
  const r = spawnSync(PYTHON, [program, ...args], { cwd, env: env(extra), encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI itself. */
export function cli(args: string[], extra: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: env(extra), encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The python process of a run: the CLI's child when the run is `greenlet-lens record`. */
function pythonOf(pid: number): number {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.length === 1 ? pythonOf(children[0]!) : pid;
  } catch {
    return pid;
  }
}

/** True once the process catches signal `signo` (read from /proc: its handler is installed). */
function catches(pid: number, signo: number): boolean {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(signo - 1))) !== 0n;
  } catch {
    return false;
  }
}

export interface AsyncRunOptions {
  extra?: Record<string, string>;
  /** Sent to the program's python once it has installed a handler for it (shutdown.py waits for SIGQUIT). */
  signalWhenHandled?: NodeJS.Signals;
}

/** Runs command asynchronously (several programs can run side by side), collecting its output. */
export function runAsync(command: string, args: string[], options: AsyncRunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: env(options.extra ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let poll: NodeJS.Timeout | undefined;
    const wanted = options.signalWhenHandled;
    if (wanted !== undefined) {
      const signo = os.constants.signals[wanted];
      poll = setInterval(() => {
        const py = pythonOf(child.pid!);
        if (py !== child.pid || command !== process.execPath) {
          if (catches(py, signo)) {
            clearInterval(poll);
            // The handler is set just before the program waits; let it get there.
            setTimeout(() => process.kill(py, wanted), 300);
          }
        }
      }, 50);
    }
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      clearInterval(poll);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** `greenlet-lens record`, asynchronously. */
export async function recordAsync(program: string, args: string[] = [], options: AsyncRunOptions = {}): Promise<Recording> {
  const trace = tmpFile(path.basename(program) + '.glt');
  const r = await runAsync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '--', program, ...args], options);
  return { ...r, trace };
}

/** The program run plainly, asynchronously. */
export function plainAsync(program: string, args: string[] = [], options: AsyncRunOptions = {}): Promise<Run> {
  return runAsync(PYTHON, [program, ...args], options);
}

/** Starts the recorder in the background (for kill -9 and signal tests). */
export function recordInBackground(program: string, extra: Record<string, string> = {}) {
  const trace = tmpFile(path.basename(program) + '.glt');
  const child = spawn(PYTHON, ['-m', 'greenlet_lens', 'record', '--output', trace, '--', program], {
    cwd: ROOT, env: env({ ...extra, PYTHONPATH: path.join(ROOT, 'runtime-instrumentation') }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, trace };
}

export interface Loaded {
  read: TraceReadResult;
  events: TraceEvent[];
  model: TraceModel;
  last: TraceState;
}

export async function load(trace: string): Promise<Loaded> {
  const read = await readTraceFile(trace);
  const model = new TraceModel({ checkpointInterval: 64 });
  model.appendAll(read.events);
  return { read, events: read.events, model, last: model.latest() };
}

/**
 * Loads a followed child's trace and checks what its header says of where it
 * came from: complete, its pid, its parent's pid and trace, how it started.
 */
export async function assertChildTrace(file: string, want: { pid: number; parentPid: number; parentTrace: string; startedBy: 'fork' | 'spawn' }): Promise<Loaded> {
  const loaded = await load(file);
  const h = loaded.read.header!;
  assert.equal(loaded.read.status, 'complete', `${file} is not complete`);
  assert.equal(h.pid, want.pid);
  assert.equal(h.parentPid, want.parentPid);
  assert.equal(h.parentTrace, want.parentTrace);
  assert.equal(h.startedBy, want.startedBy);
  return loaded;
}

export function byFunc(state: TraceState, func: string): GreenletView[] {
  return state.greenlets.filter((g) => g.func === func);
}

export function greenlet(state: TraceState, id: number): GreenletView {
  const g = state.greenlets.find((x) => x.id === id);
  if (!g) throw new Error(`no greenlet ${id} in state at ${state.seq}`);
  return g;
}

/** Events without their times: what must be identical run after run. */
export function timeless(events: TraceEvent[]): unknown[] {
  return events.map((e) => {
    const { t: _t, ...rest } = e;
    return rest;
  });
}

/** Says what went wrong in a recording, for assertion messages. */
export function describe(r: Run): string {
  return `status=${r.status} signal=${r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/**
 * `check` thresholds for tests not about slow wake-ups or blocked loops:
 * those are facts of the machine as much as of the program (a busy test
 * machine, the pure-Python build), so only a second counts there; a test
 * about them gives its own threshold, which replaces this one.
 */
export function calmThresholds(options: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of ['--slow-wakeup-ms', '--blocked-loop-ms']) if (!options.includes(name)) out.push(name, '1000');
  return out;
}
