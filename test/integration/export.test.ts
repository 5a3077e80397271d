/**
 * `greenlet-lens export --format perfetto` of a real recording: events.py
 * (one setter, five waiters on one Event) opens as a sensible timeline.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ChromeTrace } from '../../shared/export/perfetto';
import { EXAMPLES, QUICK, cli, describe, load, record, tmpFile } from './support';

test('events.py exports to Chrome trace JSON: a track per greenlet, five Event waits, the setter running, paired flows', async () => {
  const rec = record(path.join(EXAMPLES, 'events.py'), [], QUICK);
  assert.equal(rec.status, 0, describe(rec));
  const out = tmpFile('events.json');
  const r = cli(['export', '--format', 'perfetto', rec.trace, '-o', out]);
  assert.equal(r.status, 0, describe(r));
  const trace = JSON.parse(fs.readFileSync(out, 'utf8')) as ChromeTrace;
  assert.equal(trace.displayTimeUnit, 'ms');
  const { read, last } = await load(rec.trace);
  const pid = read.header!.pid;
  const ev = trace.traceEvents;
  assert.ok(ev.every((e) => e.pid === pid), 'one process: the program');

  const names = new Map(ev.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args!['name']]));
  for (const g of last.greenlets) assert.equal(names.get(g.id), g.label, `thread_name for ${g.label}`);
  assert.equal(names.size, last.greenlets.length);
  const proc = ev.find((e) => e.ph === 'M' && e.name === 'process_name');
  assert.match(String(proc?.args?.['name']), /events\.py/);

  const waits = ev.filter((e) => e.ph === 'X' && e.name === 'event_wait evt');
  assert.equal(waits.length, 5);
  const waiterIds = last.greenlets.filter((g) => g.func === 'waiter').map((g) => g.id).sort();
  assert.deepEqual(waits.map((w) => w.tid).sort(), waiterIds);
  const ends = waits.map((w) => w.ts! + w.dur!);
  const span = Math.max(...ends) - Math.min(...ends);
  const longest = Math.max(...waits.map((w) => w.dur!));
  assert.ok(span <= 5000 && span < longest / 10, `the waits end together (spread ${span} µs, longest ${longest} µs)`);

  const setter = last.greenlets.find((g) => g.func === 'setter')!;
  assert.ok(ev.some((e) => e.ph === 'X' && e.name === 'running' && e.tid === setter.id), 'the setter runs');
  assert.ok(ev.some((e) => e.ph === 'X' && e.name === 'sleep 0.15s' && e.tid === setter.id), 'and sleeps s(3)');

  for (const e of ev.filter((x) => x.ph === 'X')) {
    assert.ok(e.ts! >= 0 && e.dur! >= 0, `X event ${JSON.stringify(e)}`);
  }
  const starts = ev.filter((e) => e.ph === 's');
  const finishes = ev.filter((e) => e.ph === 'f');
  assert.ok(starts.length >= 5, 'set() wakes five waiters: at least five flows');
  assert.deepEqual(starts.map((e) => e.id).sort(), finishes.map((e) => e.id).sort(), 'every flow start has its finish');
  assert.equal(new Set(starts.map((e) => e.id)).size, starts.length, 'flow ids are unique');
  for (const s of starts) {
    const f = finishes.find((x) => x.id === s.id)!;
    assert.equal(f.bp, 'e');
    assert.ok(f.ts! >= s.ts!, 'a flow goes forward in time');
  }
  const fromSetter = starts.filter((s) => s.tid === setter.id).map((s) => finishes.find((f) => f.id === s.id)!.tid).sort();
  assert.deepEqual(fromSetter, waiterIds, 'the setter wakes each waiter');
});
