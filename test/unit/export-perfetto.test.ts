import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { toPerfetto, type ChromeTraceEvent } from '../../shared/export/perfetto';
import { TraceDecoder } from '../../shared/trace/decoder';
import type { Header } from '../../shared/trace/events';
import { NO_FLAGS, frame, sequence } from '../support/events';
import { sampleBytes } from '../support/sample-trace';
import { TraceBuilder, defaultHeader, type EventInput } from '../support/trace-builder';

const HEADER = defaultHeader() as unknown as Header;
const PID = 4242;

/** g1 main, g2 hub, g3 "worker", g4 (renamed "sleeper"); Queue obj 7, Event obj 8. */
const SYNTH: EventInput[] = [
  { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<module>', site: null, stack: [], t: 10 },
  { kind: 'spawn', g: 2, parent: 1, gkind: 'hub', name: 'Hub', func: 'Hub.run', site: null, stack: [], t: 11 },
  { kind: 'object', obj: 7, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1, t: 12 },
  { kind: 'object', obj: 8, okind: 'Event', capacity: null, type: 'Event', site: null, by: 1, t: 13 },
  { kind: 'spawn', g: 3, parent: 1, gkind: 'gevent', name: 'worker', func: 'work', site: frame(5, '<module>'), stack: [], t: 20 },
  { kind: 'ready', g: 3, by: 1, t: 21 },
  { kind: 'spawn', g: 4, parent: 1, gkind: 'gevent', name: '', func: 'nap', site: null, stack: [], t: 22 },
  { kind: 'ready', g: 4, by: 2, t: 23 },
  { kind: 'block', g: 1, reason: 'join', obj: 3, timeout: null, site: frame(9, '<module>'), stack: [], t: 30 },
  { kind: 'switch', from: 1, to: 2, throw: false, t: 31 },
  { kind: 'switch', from: 2, to: 3, throw: false, t: 40 },
  { kind: 'mark', label: 'phase', t: 41 },
  { kind: 'block', g: 3, reason: 'queue_get', obj: 7, timeout: null, site: null, stack: [], t: 50 },
  { kind: 'switch', from: 3, to: 2, throw: false, t: 51 },
  { kind: 'switch', from: 2, to: 4, throw: false, t: 60 },
  { kind: 'put', obj: 7, item: "'x'", t: 61 },
  { kind: 'ready', g: 3, by: 4, t: 62 },
  { kind: 'block', g: 4, reason: 'sleep', obj: 0, timeout: 0.1, site: null, stack: [], t: 63 },
  { kind: 'switch', from: 4, to: 2, throw: false, t: 64 },
  { kind: 'switch', from: 2, to: 3, throw: false, t: 70 },
  { kind: 'get', obj: 7, item: "'x'", t: 71 },
  { kind: 'exception', g: 3, type: 'ValueError', message: 'boom', traceback: 'Traceback...', t: 72 },
  { kind: 'exit', g: 3, flags: { ...NO_FLAGS, started: true, ready: true }, value: '', error: "ValueError('boom')", t: 73 },
  { kind: 'ready', g: 1, by: 3, t: 74 },
  { kind: 'rename', g: 4, name: 'sleeper', t: 75 },
  { kind: 'switch', from: 3, to: 2, throw: false, t: 80 },
  { kind: 'mark', label: 'done', t: 90 },
];

type Row = Omit<ChromeTraceEvent, 'pid'>;
const key = (e: Row) => `${String(e.ts).padStart(6, '0')} ${e.tid} ${e.ph} ${e.name}`;
function pick(events: ChromeTraceEvent[], ph: string): Row[] {
  return events.filter((e) => e.ph === ph).map(({ pid, ...rest }) => {
    assert.equal(pid, PID, 'every event is in the program\'s process');
    return rest;
  }).sort((a, b) => key(a).localeCompare(key(b)));
}
const sorted = (rows: Row[]) => rows.slice().sort((a, b) => key(a).localeCompare(key(b)));

/** Decoded from bytes, so the test also covers what the CLI reads. */
function decoded(inputs: EventInput[]) {
  const b = new TraceBuilder();
  b.add(...inputs);
  const d = new TraceDecoder();
  const events = d.push(b.bytes());
  events.push(...d.finish().events);
  return { header: d.header!, events };
}

test('slices: running spans, waits named by reason and object label, open spans closed at the last event', () => {
  const { header, events } = decoded(SYNTH);
  const trace = toPerfetto(header, events);
  assert.equal(trace.displayTimeUnit, 'ms');
  const X = (tid: number, ts: number, end: number, name: string, args?: Record<string, unknown>): Row => ({
    name, ph: 'X', tid, ts, dur: end - ts, cat: name === 'running' ? 'running' : 'wait', ...(args ? { args } : {}),
  });
  assert.deepEqual(pick(trace.traceEvents, 'X'), sorted([
    X(1, 10, 31, 'running'),
    X(2, 31, 40, 'running'),
    X(3, 40, 51, 'running'),
    X(2, 51, 60, 'running'),
    X(4, 60, 64, 'running'),
    X(2, 64, 70, 'running'),
    X(3, 70, 80, 'running'),
    X(2, 80, 90, 'running'),
    X(1, 30, 74, 'join g3', { reason: 'join', obj: 3, timeout: null, site: '/app/demo.py:9 <module>' }),
    X(3, 50, 62, 'queue_get Queue#1', { reason: 'queue_get', obj: 7, timeout: null }),
    X(4, 63, 90, 'sleep 0.1s', { reason: 'sleep', obj: 0, timeout: 0.1 }),
  ]));
});

test('instants: spawns and exceptions on their greenlet, marks global', () => {
  const trace = toPerfetto(HEADER, sequence(SYNTH));
  const spawn = (tid: number, ts: number, args: Record<string, unknown>): Row =>
    ({ name: 'spawn', ph: 'i', s: 't', tid, ts, cat: 'greenlet', args });
  assert.deepEqual(pick(trace.traceEvents, 'i'), sorted([
    spawn(1, 10, { parent: 0, gkind: 'main', func: '<module>' }),
    spawn(2, 11, { parent: 1, gkind: 'hub', func: 'Hub.run' }),
    spawn(3, 20, { parent: 1, gkind: 'gevent', func: 'work', site: '/app/demo.py:5' }),
    spawn(4, 22, { parent: 1, gkind: 'gevent', func: 'nap' }),
    { name: 'phase', ph: 'i', s: 'g', tid: 3, ts: 41, cat: 'mark' },
    { name: 'exception ValueError', ph: 'i', s: 't', tid: 3, ts: 72, cat: 'greenlet', args: { type: 'ValueError', message: 'boom' } },
    { name: 'done', ph: 'i', s: 'g', tid: 2, ts: 90, cat: 'mark' },
  ]));
});

test('flows: waker to woken, ending where the woken greenlet runs again; none from the hub', () => {
  const trace = toPerfetto(HEADER, sequence(SYNTH));
  const flows = trace.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f').map(({ pid: _p, ...rest }) => rest);
  const pair = (id: number, from: number, ts: number, to: number, te: number): Row[] => [
    { name: 'wake', ph: 's', tid: from, ts, cat: 'wake', id },
    { name: 'wake', ph: 'f', bp: 'e', tid: to, ts: te, cat: 'wake', id },
  ];
  assert.deepEqual(sorted(flows), sorted([
    ...pair(1, 1, 21, 3, 40), // spawner readies g3; g3 first runs at 40
    ...pair(2, 4, 62, 3, 70), // the put readies the getter
    ...pair(3, 3, 74, 1, 90), // the dying g3 readies its joiner, never resumed: closed at the end
  ]));
});

test('metadata: process name from argv, a named and sorted track per greenlet, header facts', () => {
  const trace = toPerfetto(HEADER, sequence(SYNTH));
  const meta = trace.traceEvents.filter((e) => e.ph === 'M');
  assert.deepEqual(meta, [
    { name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: 'demo.py' } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: 1, args: { name: 'g1 <module>' } },
    { name: 'thread_sort_index', ph: 'M', pid: PID, tid: 1, args: { sort_index: 1 } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: 2, args: { name: 'g2 Hub' } },
    { name: 'thread_sort_index', ph: 'M', pid: PID, tid: 2, args: { sort_index: 2 } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: 3, args: { name: 'g3 worker' } },
    { name: 'thread_sort_index', ph: 'M', pid: PID, tid: 3, args: { sort_index: 3 } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: 4, args: { name: 'g4 sleeper' } },
    { name: 'thread_sort_index', ph: 'M', pid: PID, tid: 4, args: { sort_index: 4 } },
  ]);
  assert.deepEqual(trace.traceEvents.slice(0, meta.length), meta, 'metadata first');
  const ts = trace.traceEvents.slice(meta.length).map((e) => e.ts!);
  assert.deepEqual(ts, ts.slice().sort((a, b) => a - b), 'then in time order');
  assert.equal(trace.metadata['pid'], PID);
  assert.deepEqual(trace.metadata['argv'], ['demo.py']);
  assert.equal(trace.metadata['events'], SYNTH.length);
  assert.equal(trace.metadata['durationUs'], 90);
});

test('wait names for other reasons; a throw resumes a blocked greenlet without a ready', () => {
  const events = sequence([
    { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<module>', site: null, stack: [] },
    { kind: 'object', obj: 5, okind: 'AsyncResult', capacity: null, type: 'AsyncResult', site: null, by: 1 },
    { kind: 'object', obj: 6, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1 },
    { kind: 'object', obj: 9, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1 },
    { kind: 'block', g: 1, reason: 'result_get', obj: 5, timeout: 2, site: null, stack: [] },
    { kind: 'ready', g: 1, by: 0 },
    { kind: 'block', g: 1, reason: 'queue_put', obj: 9, timeout: null, site: null, stack: [] },
    { kind: 'switch', from: 1, to: 1, throw: true },
    { kind: 'block', g: 1, reason: 'io', obj: 0, timeout: null, site: null, stack: [] },
    { kind: 'ready', g: 1, by: 1 },
    { kind: 'block', g: 1, reason: 'sleep', obj: 0, timeout: null, site: null, stack: [] },
    { kind: 'block', g: 1, reason: 'lock_acquire', obj: 42, timeout: null, site: null, stack: [] },
  ]);
  const trace = toPerfetto(null, events);
  const waits = trace.traceEvents.filter((e) => e.cat === 'wait').map((e) => [e.name, e.ts, e.dur]);
  assert.deepEqual(waits, [
    ['result_get AsyncResult#1', 5, 1],
    ['queue_put Queue#2', 7, 1], // ended by the throw into g1
    ['io', 9, 1],
    ['sleep', 11, 1], // ended by the next block
    ['lock_acquire object#42', 12, 0], // closed at the last event
  ]);
  assert.equal(trace.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f').length, 0, 'no flow from nobody or from oneself');
  assert.equal(trace.traceEvents[0]!.pid, 0, 'no header: pid 0');
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-export-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const CLI = path.join(__dirname, '..', '..', 'cli', 'main.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });

test('cli export: -o writes the JSON, stdout otherwise; usage errors exit 2', () => {
  const file = path.join(dir, 'sample.glt');
  fs.writeFileSync(file, sampleBytes());
  const out = path.join(dir, 'out.json');
  const r = cli(['export', '--format', 'perfetto', file, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const written = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(written.traceEvents.length > 0);
  const piped = cli(['export', '--format=perfetto', file]);
  assert.equal(piped.status, 0, piped.stderr);
  assert.deepEqual(JSON.parse(piped.stdout), written);

  for (const args of [['export', file], ['export', '--format', 'svg', file], ['export', '--format', 'perfetto'], ['export', '--format', 'perfetto', file, '-o']]) {
    const bad = cli(args);
    assert.equal(bad.status, 2, args.join(' '));
    assert.match(bad.stderr, /^greenlet-lens: error: /);
  }
  const missing = cli(['export', '--format', 'perfetto', path.join(dir, 'nope.glt'), '-o', out]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^greenlet-lens: error: no such file/);
});

test('cli export: a truncated trace still exports what was read, says so, exits 1', () => {
  const full = sampleBytes();
  const cut = path.join(dir, 'cut.glt');
  fs.writeFileSync(cut, full.subarray(0, full.length - 5));
  const out = path.join(dir, 'cut.json');
  const r = cli(['export', '--format', 'perfetto', cut, '-o', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exported the \d+ events read/);
  assert.match(r.stderr, /greenlet-lens: error: .*cut\.glt: This trace is truncated/);
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(json.traceEvents.some((e: ChromeTraceEvent) => e.ph === 'X'));
});
