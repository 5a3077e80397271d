/**
 * Integration-test helpers: run real Python programs with real gevent under
 * the real recorder (through the built CLI), then read the trace with the
 * shared reader and model.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceState, GreenletView } from '../../shared/model/state';
import type { TraceEvent } from '../../shared/trace/events';
import { readTraceFile, type TraceReadResult } from '../../shared/trace/read-file';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const PROGRAMS = path.join(ROOT, 'test', 'programs');
export const PYTHON = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
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
