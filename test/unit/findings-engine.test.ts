// The findings engine on synthetic traces: how it decides who saw a
// greenlet's end, when a long run blocks the loop, and the why-not-running
// chain. Real programs are in test/integration/findings.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FindingsEngine } from '../../shared/analysis/engine';
import { TraceModel } from '../../shared/model/trace-model';
import { frame, sequence } from '../support/events';
import type { EventInput } from '../support/trace-builder';

function run(inputs: readonly EventInput[], config = {}) {
  const engine = new FindingsEngine(config);
  const model = new TraceModel();
  for (const ev of sequence(inputs)) {
    model.append(ev);
    engine.apply(ev);
  }
  return { engine, model, findings: engine.check(model.latest()) };
}

const main: EventInput = { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [] };
const hub: EventInput = { kind: 'spawn', g: 9, parent: 1, gkind: 'hub', name: '', func: 'Hub.run', site: null, stack: [] };
const spawn = (g: number, func: string): EventInput[] => [
  { kind: 'spawn', g, parent: 1, gkind: 'gevent', name: '', func, site: frame(10 + g, '<module>'), stack: [] }, { kind: 'ready', g, by: 1 },
];
const sw = (from: number, to: number, t?: number, thrown = false): EventInput => ({ kind: 'switch', from, to, throw: thrown, ...(t === undefined ? {} : { t }) });
const block = (g: number, reason: 'join' | 'queue_get' | 'sleep' | 'lock_acquire', obj: number, line: number, timeout: number | null = null): EventInput =>
  ({ kind: 'block', g, reason, obj, timeout, site: frame(line), stack: [] });
const fail = (g: number, line: number): EventInput[] => [
  { kind: 'exception', g, type: 'ValueError', message: 'boom', traceback: `Traceback (most recent call last):\n  File "/app/demo.py", line ${line}, in work\nValueError: boom` },
  { kind: 'exit', g, flags: { started: true, ready: true, successful: false, killed: false }, value: '', error: "ValueError('boom')" },
];
const end: EventInput = { kind: 'end', code: 0, switches: 0, errors: 0 };
const mainExit: EventInput = { kind: 'exit', g: 1, flags: { started: true, ready: true, successful: true, killed: false }, value: '', error: '' };
const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);
/** Whether the exception was found unobserved (these traces end with main stuck in a join: also a deadlock). */
const unobserved = (r: { findings: { kind: string }[] }) => kinds(r).includes('unobserved-exception');

test('an exception is seen when the greenlet joining it gets past the join, not while it still waits there', () => {
  const start = [main, hub, ...spawn(2, 'work'), block(1, 'join', 2, 30), sw(1, 9), sw(9, 2), ...fail(2, 5), { kind: 'observed', g: 2, by: 1, how: 'join' } as EventInput, sw(2, 9)];
  // Main wakes and waits again at the same join: still in it (a joinall woken by one of several).
  const stuck = run([...start, { kind: 'ready', g: 1, by: 9 }, sw(9, 1), block(1, 'join', 2, 30), sw(1, 9)]);
  assert.ok(unobserved(stuck));
  assert.match(stuck.findings.find((f) => f.kind === 'unobserved-exception')!.message, /g2 work died of ValueError: boom at demo\.py:5 .*\(g1 <main> waited in a join but never got past it\)/);
  // Main goes on to wait elsewhere, or ends: it got past the join and may have looked.
  assert.deepEqual(kinds(run([...start, sw(9, 1), block(1, 'sleep', 0, 31, 0.1), sw(1, 9)])), []);
  assert.deepEqual(kinds(run([...start, sw(9, 1), mainExit, end])), []);
});

test('gevent\'s compiled build says only that links exist: a joinall() waiting then is taken as the observer', () => {
  const start = [main, hub, ...spawn(2, 'work'), block(1, 'join', 0, 30), sw(1, 9), sw(9, 2), ...fail(2, 5), { kind: 'observed', g: 2, by: 0, how: 'unknown' } as EventInput, sw(2, 9)];
  assert.ok(unobserved(run(start)), 'main never got past its joinall');
  assert.deepEqual(kinds(run([...start, sw(9, 1), mainExit, end])), []);
  // Nobody in a join: a link callback saw it.
  const linked = [main, hub, ...spawn(2, 'work'), block(1, 'sleep', 0, 30, 1), sw(1, 9), sw(9, 2), ...fail(2, 5), { kind: 'observed', g: 2, by: 0, how: 'unknown' } as EventInput, sw(2, 9)];
  assert.deepEqual(kinds(run(linked)), []);
});

test('a joinall() begun after a greenlet ended counts for it; waking inside the same joinall() does not', () => {
  const ended = [main, hub, ...spawn(2, 'work'), block(1, 'sleep', 0, 30, 0.01), sw(1, 9), sw(9, 2), ...fail(2, 5), sw(2, 9), sw(9, 1)];
  assert.deepEqual(kinds(run([...ended, block(1, 'join', 0, 31), sw(1, 9), sw(9, 1), mainExit, end])), []);
  assert.deepEqual(kinds(run([...ended, mainExit, end])), ['unobserved-exception']);
});

test('a get() that raises the ended greenlet\'s exception again in its caller counts as seeing it', () => {
  const reraised = 'Traceback (most recent call last):\n  File "/app/demo.py", line 40, in <module>\n  File "src/gevent/greenlet.py", line 805, in gevent._gevent_cgreenlet.Greenlet.get\n  File "/app/demo.py", line 5, in work\nValueError: boom';
  const r = run([main, hub, ...spawn(2, 'work'), block(1, 'sleep', 0, 30, 0.01), sw(1, 9), sw(9, 2), ...fail(2, 5), sw(2, 9), sw(9, 1),
    { kind: 'exception', g: 1, type: 'ValueError', message: 'boom', traceback: reraised }]);
  assert.deepEqual(kinds(r), []);
});

test('a long run counts as a blocked loop only once the hub exists (as the watchdog counts), at the line it resumed from', () => {
  const startup = run([main, { kind: 'mark', label: 'x', t: 500_000 }, hub, sw(1, 9, 500_100), sw(9, 1, 500_200), mainExit, end]);
  assert.deepEqual(kinds(startup), [], 'module code before the first switch blocks no loop');
  const r = run([main, hub, ...spawn(2, 'crunch'), sw(1, 9, 1000), sw(9, 2, 1100), block(2, 'sleep', 0, 21, 0.01), sw(2, 9, 1200),
    { kind: 'ready', g: 2, by: 9, t: 12_000 }, sw(9, 2, 12_000), block(2, 'sleep', 0, 22, 0), sw(2, 9, 312_000)]);
  assert.deepEqual(kinds(r), ['blocked-loop']);
  assert.deepEqual(r.findings[0]!.sites[0], frame(21));
  assert.match(r.findings[0]!.message, /g2 crunch ran for 300 ms without yielding after resuming at demo\.py:21/);
});

test('why: a lock cycle is a deadlock; a consumer whose only producer ended can never run; a sleeper wakes by itself', () => {
  const cycle = run([main, hub, ...spawn(2, 'one'), ...spawn(3, 'two'),
    { kind: 'object', obj: 4, okind: 'Lock', capacity: 1, type: 'Lock', site: null, by: 1 }, { kind: 'object', obj: 5, okind: 'Lock', capacity: 1, type: 'Lock', site: null, by: 1 },
    { kind: 'acquire', obj: 4, g: 2 }, { kind: 'acquire', obj: 5, g: 3 }, block(2, 'lock_acquire', 5, 40), block(3, 'lock_acquire', 4, 41), block(1, 'sleep', 0, 42, 5), sw(1, 9)]);
  const why = cycle.engine.why(cycle.model.latest(), 2);
  assert.equal(why.verdict, 'deadlock');
  assert.match(why.headline, /^g2 one waits to acquire Lock#2 at demo\.py:40\. It can never run again: it is caught in a deadlock\./);
  const sleeper = cycle.engine.why(cycle.model.latest(), 1);
  assert.equal(sleeper.verdict, 'wakes-itself');
  assert.match(sleeper.headline, /g1 <main> sleeps at demo\.py:42 \(timeout 5 s\)\. It wakes by itself/);

  const orphan = run([main, hub, ...spawn(2, 'consumer'), ...spawn(3, 'producer'),
    { kind: 'object', obj: 4, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 2 },
    block(1, 'sleep', 0, 30, 5), sw(1, 9), sw(9, 3), { kind: 'put', obj: 4, item: '1' }, { kind: 'exit', g: 3, flags: { started: true, ready: true, successful: true, killed: false }, value: '', error: '' },
    sw(3, 9), sw(9, 2), { kind: 'get', obj: 4, item: '1' }, block(2, 'queue_get', 4, 50), sw(2, 9)]);
  const answer = orphan.engine.why(orphan.model.latest(), 2);
  assert.equal(answer.verdict, 'never');
  assert.equal(answer.headline, 'g2 consumer waits to get from Queue#1 at demo.py:50. It can never run again: nobody alive could put into it.');
  assert.deepEqual(kinds(orphan), ['never-woken']);
});

test('a service that spawns a greenlet per request: the findings keep the facts of only the latest ended ones, but never of one a finding may come of', () => {
  const ok = { started: true, ready: true, successful: true, killed: false };
  const inputs: EventInput[] = [main, hub, ...spawn(2, 'boom'), sw(1, 2), ...fail(2, 7), sw(2, 1)];
  // 30k requests that return nothing: nothing can be found of them once they end.
  for (let g = 100; g < 30_100; g++) inputs.push(...spawn(g, 'handle'), sw(1, g), { kind: 'exit', g, flags: ok, value: '', error: '' }, sw(g, 1));
  inputs.push(mainExit, end);
  const { engine, findings } = run(inputs);
  assert.ok(engine.facts.greenlets.size < 10_100, `${engine.facts.greenlets.size} greenlets' facts kept`);
  assert.ok(engine.facts.greenlets.has(2), 'the greenlet that died of an exception nobody saw is kept');
  assert.ok(findings.some((f) => f.kind === 'unobserved-exception' && f.greenlets[0] === 2), kinds({ findings }).join(', '));
});
