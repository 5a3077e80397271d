/**
 * Each finding kind on a small real gevent program that has exactly that bug,
 * and on its clean twin that has none (a false alarm is a bug): recorded by
 * the real runtime, checked by `greenlet-lens check --format json`, the
 * findings' lines found by marker comments in the programs.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding, FindingKind } from '../../shared/analysis/finding';
import { lineOf } from '../support/source-lines';
import { PROGRAMS, calmThresholds, cli, describe, record } from './support';

const prog = (name: string): string => path.join(PROGRAMS, 'findings', name);

function check(program: string, args: string[] = [], options: string[] = []): Finding[] {
  const rec = record(program, args);
  assert.ok(rec.status !== null, describe(rec));
  const r = cli(['check', rec.trace, '--format', 'json', ...calmThresholds(options), ...options]);
  assert.equal(r.status, 0, `check of ${path.basename(program)}\n${describe(r)}`);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

const summary = (fs: readonly Finding[]): string => fs.map((f) => `${f.severity} ${f.kind}: ${f.message}`).join('\n') || '(none)';

/** Exactly these findings, each with every one of its markers' lines among its lines, the first marker's first. */
function expectOnly(found: readonly Finding[], file: string, expected: readonly { kind: FindingKind; markers: readonly string[] }[]): void {
  assert.deepEqual(found.map((f) => f.kind).sort(), expected.map((e) => e.kind).sort(), summary(found));
  for (const e of expected) {
    const lines = e.markers.map((m) => lineOf(file, m));
    const hit = found.find((f) => f.kind === e.kind && f.sites[0]?.line === lines[0]
      && lines.every((line) => f.sites.some((s) => s.file === file && s.line === line)));
    assert.ok(hit, `a ${e.kind} finding at ${path.basename(file)} lines ${lines.join(', ')} (${e.markers.join(', ')})\n${summary(found)}`);
  }
}

interface Case {
  readonly kind: FindingKind;
  readonly buggy: string;
  readonly clean: string;
  readonly markers: readonly string[];
  readonly buggyArgs?: string[];
  readonly cleanArgs?: string[];
  readonly options?: string[];
}

const CASES: readonly Case[] = [
  { kind: 'deadlock-cycle', buggy: 'deadlock_cycle.py', clean: 'lock_order.py', markers: ['DEADLOCK-ONE', 'DEADLOCK-TWO'] },
  { kind: 'deadlock-exhaustion', buggy: 'deadlock_exhaustion.py', clean: 'event_handoff.py', markers: ['EXHAUSTION-MAIN', 'EXHAUSTION-WORKER'] },
  { kind: 'never-woken', buggy: 'never_woken.py', clean: 'sentinel.py', markers: ['NEVER-WOKEN'] },
  { kind: 'unobserved-exception', buggy: 'unobserved_exception.py', clean: 'observed_exception.py', markers: ['UNOBSERVED'] },
  { kind: 'blocked-loop', buggy: 'blocked_loop.py', clean: 'cooperative_sleep.py', markers: ['BLOCKED-RESUMED'], options: ['--blocked-loop-ms', '100'] },
  { kind: 'unbounded-growth', buggy: 'unbounded_growth.py', clean: 'drained_queue.py', markers: ['GROWTH'] },
  { kind: 'slow-wakeup', buggy: 'slow_wakeup.py', clean: 'slow_wakeup.py', markers: ['SLOW-WAKEUP'], cleanArgs: ['0.002'], options: ['--slow-wakeup-ms', '250'] },
  { kind: 'frequent-timeouts', buggy: 'frequent_timeouts.py', clean: 'fed_queue.py', markers: ['TIMEOUTS'] },
];

for (const c of CASES) {
  test(`${c.kind}: ${c.buggy} has exactly that finding, on its line`, { timeout: 60_000 }, () => {
    const file = prog(c.buggy);
    expectOnly(check(file, c.buggyArgs, c.options), file, [{ kind: c.kind, markers: c.markers }]);
  });
  test(`${c.kind}: the clean ${c.clean}${c.cleanArgs ? ` ${c.cleanArgs.join(' ')}` : ''} has no finding at all`, { timeout: 60_000 }, () => {
    assert.deepEqual(check(prog(c.clean), c.cleanArgs, c.options).map((f) => f.message), []);
  });
}

test('leaked-greenlet: leaked.py leaves a sleeping, a never-run and an unread greenlet; tidy.py none', { timeout: 60_000 }, () => {
  const file = prog('leaked.py');
  const found = check(file);
  expectOnly(found, file, ['LEAK-SLEEPING', 'LEAK-NOT-STARTED', 'LEAK-RESULT'].map((marker) => ({ kind: 'leaked-greenlet' as const, markers: [marker] })));
  const at = (marker: string) => found.find((f) => f.sites[0]?.line === lineOf(file, marker))!;
  assert.equal(at('LEAK-SLEEPING').severity, 'warning');
  assert.match(at('LEAK-SLEEPING').message, /g\d+ poller was still alive when the program ended: it sleeps at leaked\.py:\d+/);
  assert.match(at('LEAK-NOT-STARTED').message, /had never run/);
  assert.equal(at('LEAK-RESULT').severity, 'info');
  assert.match(at('LEAK-RESULT').message, /returned 42 that nobody joined, got or linked to/);
  assert.deepEqual(check(prog('tidy.py')).map((f) => f.message), []);
});

test('a deadlock names its chain; the event where it became true is the last wait that closed it', { timeout: 60_000 }, () => {
  const [cycle] = check(prog('deadlock_cycle.py'));
  assert.match(cycle!.message, /^g\d+ one and g\d+ two wait on each other through Semaphore#1, Semaphore#2/);
  assert.equal(cycle!.greenlets.length, 2);
  assert.equal(cycle!.objects.length, 2);
  const [all] = check(prog('deadlock_exhaustion.py'));
  assert.match(all!.message, /Every greenlet is blocked and nothing is scheduled \(g1 <main>, g\d+ worker\)/);
});

test('an exception whose only joiner never got past its join is unobserved; one whose greenlet the program kept is not', { timeout: 60_000 }, () => {
  const found = check(path.join(PROGRAMS, '..', '..', 'examples', 'bugs', 'undrained_queue.py'));
  const lost = found.find((f) => f.kind === 'unobserved-exception');
  assert.ok(lost, summary(found));
  assert.match(lost.message, /g\d+ consumer died of KeyError: id .* \(g1 <main> waited in a join but never got past it\)/);
});

test('thresholds are configurable; a wait one blocked loop explains is that loop\'s finding, else a slow wake-up', { timeout: 60_000 }, () => {
  const kinds = (name: string, options: string[]): string => summary(check(prog(name), [], options));
  // Under a 1 s threshold the 300 ms blocking call is no blocked loop, but the heartbeat it delayed woke slowly.
  assert.match(kinds('blocked_loop.py', ['--blocked-loop-ms', '1000', '--slow-wakeup-ms', '100']), /^warning slow-wakeup: g\d+ heartbeat was ready to run for \d+ ms .*: g\d+ cruncher held the loop/);
  assert.equal(kinds('blocked_loop.py', ['--blocked-loop-ms', '1000', '--slow-wakeup-ms', '1000']), '(none)');
  assert.equal(kinds('frequent_timeouts.py', ['--timeout-min-fires', '11']), '(none)');
  assert.equal(kinds('unbounded_growth.py', ['--growth-min-items', '5000']), '(none)');
  assert.equal(kinds('unobserved_exception.py', ['--disable', 'unobserved-exception']), '(none)');
});
