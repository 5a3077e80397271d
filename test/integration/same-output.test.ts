/**
 * The rule the recorder keeps above all: a program prints and exits the same
 * recorded as plain. Every example (examples/*.py, examples/bugs/*.py) and
 * every bench workload (scaled down) runs both ways on this suite's stack
 * (GREENLET_LENS_PYTHON, PURE_PYTHON), and stdout, stderr, exit status and
 * signal must match, with only what differs run to run scrubbed: addresses
 * in reprs, timestamps, elapsed seconds. Each recording must also be a
 * complete trace without runtime errors, and the same trace (times aside)
 * with the other recorder: the compiled core and the pure-Python fallback
 * (recorders.ts), on the default stack also the pure one's slow paths.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ON_DEFAULT_STACK } from '../support/stacks';
import { EXAMPLES, ROOT, describe, load, plainAsync, recordAsync } from './support';
import { CASES } from './cases';
import { compareRecorders, traceEvents, type RecorderName } from './recorders';


/** What differs between two plain runs too. */
function scrub(text: string): string {
  return text
    .replace(/0x[0-9a-f]+/g, '0x…')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'TIME')
    .replace(/at \d+\.\d seconds/g, 'at T seconds')
    // short_lived.py reports its own memory, which the recorder adds to.
    .replace(/^rss (\d+) \d+$/gm, 'rss $1 KB');
}

const withoutCliLine = (s: string) => s.replace(/^greenlet-lens: recorded .*\n/m, '');

test('every example and bench workload prints and exits the same recorded as plain, its trace is complete, and the compiled and pure-Python recorders record it alike', async () => {
  assert.ok(CASES.length >= 20, `${CASES.length} programs`);
  const results: string[] = [];
  const differences: string[] = [];
  // Two at a time: each runs plain and recorded side by side.
  const queue = [...CASES];
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const name = path.relative(ROOT, c.file);
      const [ref, rec] = await Promise.all([plainAsync(c.file, c.args, c.options), recordAsync(c.file, c.args, c.options)]);
      assert.equal(rec.status, ref.status, `${name}: exit status\n${describe(rec)}\n--- plain:\n${describe(ref)}`);
      assert.equal(rec.signal, ref.signal, `${name}: signal`);
      assert.equal(scrub(rec.stdout), scrub(ref.stdout), `${name}: stdout`);
      assert.equal(scrub(withoutCliLine(rec.stderr)), scrub(ref.stderr), `${name}: stderr`);
      const { read, last } = await load(rec.trace);
      assert.equal(read.status, 'complete', `${name}: ${read.problem?.message}`);
      assert.equal(last.end?.errors, 0, `${name}: runtime errors ${JSON.stringify(last.errors)}`);
      assert.equal(last.end?.code, ref.status, `${name}: exit code in the trace`);
      assert.equal(last.inconsistencies, 0, `${name}: model inconsistencies`);
      if (path.dirname(c.file) === EXAMPLES && path.basename(c.file) !== 'timeout.py') {
        // The seed's examples end every greenlet (timeout.py leaves one asleep on purpose).
        for (const g of last.greenlets.filter((x) => x.gkind === 'gevent')) {
          assert.ok(g.state === 'dead_ok' || g.state === 'dead_exception', `${name}: ${g.label} ended ${g.state}`);
        }
      }
      // The other recorder (pure when the stack's is compiled, and back) writes the same trace.
      const mine = await traceEvents(rec.trace);
      const by: RecorderName = mine.recorder === 'compiled' ? 'compiled' : 'pure';
      for (const other of [by === 'compiled' ? 'pure' : 'compiled', ...(ON_DEFAULT_STACK ? ['slow' as const] : [])] as const) {
        const why = await compareRecorders(c, mine, by, other);
        if (why !== null) differences.push(`${name}: ${why}`);
      }
      results.push(name);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(differences, [], 'the compiled and pure-Python recorders disagree');
  assert.equal(results.length, CASES.length);
});
