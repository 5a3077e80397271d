/**
 * `greenlet-lens check` on the seed's examples and on the bug examples: the
 * seed's programs have no findings except timeout.py, whose spawned
 * greenlet really is still asleep when the program ends (main gave up on it
 * when its Timeout fired); each bug example has its bug's findings, on the
 * lines of the bug. (shutdown.py, which needs a signal, is checked in
 * runtime-rules.test.ts.)
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../shared/analysis/finding';
import { lineOf } from '../support/source-lines';
import { EXAMPLES, QUICK, calmThresholds, cli, describe, record } from './support';

function check(file: string, options: readonly string[] = []): Finding[] {
  const rec = record(file, [], QUICK, path.dirname(file));
  const r = cli(['check', rec.trace, '--format', 'json', ...calmThresholds(options), ...options]);
  assert.equal(r.status, 0, describe(r));
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

const brief = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.kind} ${path.basename(f.sites[0]?.file ?? '?')}:${f.sites[0]?.line ?? '?'}`).sort();

test('the seed examples have no findings, but timeout.py leaks the greenlet its Timeout gave up on', { timeout: 180_000 }, () => {
  const clean = ['async_result.py', 'bounded_queue.py', 'determinism.py', 'events.py', 'polling.py', 'queue_workers.py',
    'spawning.py', 'state_flags.py', 'subclass.py', 'timeout_with.py'];
  for (const name of clean) assert.deepEqual(brief(check(path.join(EXAMPLES, name))), [], name);
  const timeout = path.join(EXAMPLES, 'timeout.py');
  const [leak, ...rest] = check(timeout);
  assert.deepEqual(rest, []);
  assert.equal(leak?.kind, 'leaked-greenlet');
  assert.equal(leak.sites[0]?.line, lineOf(timeout, 'gevent.sleep(s(10) * 2)'));
  assert.match(leak.message, /g\d+ wait was still alive when the program ended: it sleeps/);
});

test('bugs/undrained_queue.py: the silent KeyError, the producer nobody can wake, the deadlock that ends it', { timeout: 60_000 }, () => {
  const file = path.join(EXAMPLES, 'bugs', 'undrained_queue.py');
  assert.deepEqual(brief(check(file)), [
    `deadlock-exhaustion undrained_queue.py:${lineOf(file, 'gevent.joinall(')}`,
    `never-woken undrained_queue.py:${lineOf(file, 'jobs.put(')}`,
    `unobserved-exception undrained_queue.py:${lineOf(file, 'print("handling", job["id"])')}`,
  ]);
});

test('bugs/never_wakes.py: main waits on a result nobody alive can set', { timeout: 60_000 }, () => {
  const file = path.join(EXAMPLES, 'bugs', 'never_wakes.py');
  const found = check(file);
  assert.deepEqual(brief(found), [`never-woken never_wakes.py:${lineOf(file, 'print(result.get())')}`]);
  assert.match(found[0]!.message, /g1 <main> waits for the value of result#2 .* but no greenlet that could set it is alive \(g\d+ fetch and g\d+ fetch ended\)/);
});

test('bugs/blocking_call.py: the report greenlet blocks the loop for a second after resuming from its sleep', { timeout: 60_000 }, () => {
  const file = path.join(EXAMPLES, 'bugs', 'blocking_call.py');
  const found = check(file, ['--blocked-loop-ms', '100']);
  assert.deepEqual(brief(found), [`blocked-loop blocking_call.py:${lineOf(file, 'gevent.sleep(0.15)')}`]);
  assert.match(found[0]!.message, /g\d+ report ran for \d+ ms without yielding after resuming at blocking_call\.py:\d+/);
});
