/**
 * Recording follows forked children: each records into run.glt.d/<pid>.glt
 * with its own header, the state it inherited and its own end; record names
 * every process; cat/state/stats/export read them all.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertChildTrace, byFunc, cli, describe, load, plainAsync, PROGRAMS, PYTHON, recordAsync } from './support';

const FORKS = path.join(PROGRAMS, 'forks.py');
const POOL = path.join(PROGRAMS, 'fork_pool.py');

/** "role pid" lines the program printed. */
function pidOf(stdout: string, role: string): number {
  const m = new RegExp(`^${role} (\\d+)`, 'm').exec(stdout);
  assert.ok(m, `no "${role} <pid>" line in:\n${stdout}`);
  return Number(m[1]);
}

test('a forked child, its own child and a gevent.fork child each record into run.glt.d/<pid>.glt; the program runs as without the recorder', async () => {
  const [r, plain] = await Promise.all([recordAsync(FORKS), plainAsync(FORKS)]);
  assert.equal(r.status, 0, describe(r));
  // The same output, pids aside.
  const noPids = (s: string): string => s.replace(/\d{2,}/g, 'N');
  assert.equal(noPids(r.stdout), noPids(plain.stdout));
  assert.equal(plain.stderr, '');
  const parent = pidOf(r.stdout, 'parent');
  const child = pidOf(r.stdout, 'child');
  const grandchild = pidOf(r.stdout, 'grandchild');
  const geventFork = pidOf(r.stdout, 'gevent-fork');
  const folder = `${r.trace}.d`;
  assert.deepEqual(fs.readdirSync(folder).sort(), [child, grandchild, geventFork].map((p) => `${p}.glt`).sort());
  assert.equal(fs.statSync(folder).mode & 0o777, 0o700);

  // One line per process at the end of record.
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('greenlet-lens: recorded'));
  assert.equal(lines.length, 4, r.stderr);
  assert.ok(lines[0]!.includes(`to ${r.trace}`));
  assert.ok(lines.some((l) => l.includes(`of process ${grandchild}, forked from ${child} to ${path.join(folder, `${grandchild}.glt`)}`)), r.stderr);

  const top = await load(r.trace);
  assert.equal(top.read.header!.pid, parent);
  assert.equal(top.read.header!.parentPid, null);
  assert.equal(top.last.end?.code, 0);

  const c = await assertChildTrace(path.join(folder, `${child}.glt`), { pid: child, parentPid: parent, parentTrace: path.basename(r.trace), startedBy: 'fork' });
  assert.deepEqual(c.read.header!.argv, top.read.header!.argv);
  // os._exit(3) in the child: its trace still ends, with that status.
  assert.equal(c.last.end?.code, 3);
  // The queue made before the fork keeps its id and is drained in the child.
  const parentQueue = top.last.queues[0]!;
  const childQueue = c.last.queues.find((q) => q.id === parentQueue.id);
  assert.ok(childQueue, 'the pre-fork queue is described in the child');
  assert.deepEqual(childQueue.items, ["'in-child'"]);
  assert.deepEqual(parentQueue.items, ["'before-fork'", "'in-parent'"]);
  // The greenlet that forked runs on in the child under its parent-trace id.
  const forker = byFunc(top.last, 'forker')[0]!;
  const forkerInChild = c.last.greenlets.find((g) => g.id === forker.id);
  assert.equal(forkerInChild?.state, 'running');
  const jobs = byFunc(c.last, 'job');
  assert.deepEqual(jobs.map((g) => g.flags.value), ["'in-child'"]);
  assert.equal(c.last.inconsistencies, 0);

  const g = await assertChildTrace(path.join(folder, `${grandchild}.glt`), { pid: grandchild, parentPid: child, parentTrace: `${child}.glt`, startedBy: 'fork' });
  assert.equal(g.last.end?.code, 4);
  assert.deepEqual(byFunc(g.last, 'job').map((x) => x.flags.value), ["'in-grandchild'"]);

  const gf = await load(path.join(folder, `${geventFork}.glt`));
  assert.equal(gf.last.end?.code, 5);
  assert.deepEqual(gf.last.queues[0]!.items, ["'before-fork'", "'in-parent'", "'in-gevent-fork'"]);
});

test('stats, state, cat and export read every process of the recording, from the parent trace or the folder; --pid picks one', async () => {
  const r = await recordAsync(FORKS);
  assert.equal(r.status, 0, describe(r));
  const child = pidOf(r.stdout, 'child');
  const parent = pidOf(r.stdout, 'parent');
  for (const given of [r.trace, `${r.trace}.d`, `${r.trace}.d/`]) {
    const stats = cli(['stats', '--json', given]);
    assert.equal(stats.status, 0, describe(stats));
    const all = JSON.parse(stats.stdout) as { processes: { header: { pid: number }; exitCode: number }[] };
    assert.deepEqual(all.processes.map((p) => p.exitCode), [0, 3, 4, 5]);
    assert.equal(all.processes[0]!.header.pid, parent);
  }
  const text = cli(['stats', r.trace]);
  assert.match(text.stdout, /^processes {2}4$/m);
  assert.match(text.stdout, new RegExp(`pid ${child}, forked from ${parent}`));

  const state = cli(['state', '--text', r.trace]);
  assert.equal(state.status, 0, describe(state));
  assert.match(state.stdout, new RegExp(`^process ${child}, forked from ${parent} \\(`, 'm'));
  const json = JSON.parse(cli(['state', r.trace]).stdout) as { processes: { pid: number; state: { end: { code: number } } }[] };
  assert.deepEqual(json.processes.map((p) => p.state.end.code), [0, 3, 4, 5]);
  const at = cli(['state', '--at', '3', r.trace]);
  assert.equal(at.status, 2);
  assert.match(at.stderr, /choose one with --pid N/);
  const one = cli(['state', '--at', '3', '--pid', String(child), r.trace]);
  assert.equal(one.status, 0, describe(one));

  const cat = cli(['cat', r.trace]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { pid: number; kind: string });
  assert.deepEqual([...new Set(cat.map((e) => e.pid))].length, 4);
  assert.equal(cat.filter((e) => e.kind === 'end').length, 4);
  const catChild = cli(['cat', '--pid', String(child), r.trace]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { pid?: number });
  assert.ok(catChild.length > 0 && catChild.every((e) => e.pid === undefined));
  const none = cli(['stats', '--pid', '1', r.trace]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /holds no trace of that process \(processes: /);

  const exp = cli(['export', '--format', 'perfetto', `${r.trace}.d`]);
  assert.equal(exp.status, 0, describe(exp));
  const trace = JSON.parse(exp.stdout) as { traceEvents: { name: string; pid: number }[] };
  const processNames = trace.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.pid);
  assert.equal(processNames.length, 4);
  assert.ok(processNames.includes(child) && processNames.includes(parent));
});

test('a multiprocessing fork Pool: each worker that ran gevent tasks has its own trace holding its tasks\' greenlets', async () => {
  const r = await recordAsync(POOL);
  assert.equal(r.status, 0, describe(r));
  assert.match(r.stdout, /^sums 30 60 90 120 150 180 210 240$/m);
  const workers = /^workers (.*)$/m.exec(r.stdout)![1]!.split(' ').map(Number);
  const fetches = [];
  for (const pid of workers) {
    const w = await load(path.join(`${r.trace}.d`, `${pid}.glt`));
    assert.equal(w.read.header!.parentPid, pidOf(r.stdout, 'parent'));
    // Pool workers end with os._exit: the trace still has its end.
    assert.equal(w.read.status, 'complete', `worker ${pid}`);
    const done = byFunc(w.last, 'fetch');
    assert.ok(done.length > 0, `worker ${pid} ran fetch greenlets`);
    assert.ok(done.every((g) => g.state === 'dead_ok'));
    fetches.push(...done);
  }
  // Eight tasks of three greenlets each, split between the workers.
  assert.equal(fetches.length, 24);
});

test('record --no-follow-children records the parent alone, and a new recording replaces an earlier one\'s children', async () => {
  const r = await recordAsync(FORKS);
  assert.equal(r.status, 0, describe(r));
  assert.equal(fs.readdirSync(`${r.trace}.d`).length, 3);
  const again = cli(['record', '--python', PYTHON, '--output', r.trace, '--no-follow-children', '--', FORKS]);
  assert.equal(again.status, 0, describe(again));
  assert.deepEqual(fs.readdirSync(`${r.trace}.d`), []);
  assert.equal(again.stderr.split('\n').filter((l) => l.startsWith('greenlet-lens: recorded')).length, 1);
});
