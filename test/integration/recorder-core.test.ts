/**
 * The compiled recorder core always works out: built on first use into the
 * cache (one compiler call, then loaded from there), and where it cannot be
 * built (no compiler) or is turned off (GREENLET_LENS_PURE=1) the program is
 * recorded by the pure-Python recorder, the same program output and trace,
 * with one line saying so and why; a failed build is remembered.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PROGRAMS, ROOT, load, plain, record, timeless, tmpFile } from './support';

const PROGRAM = path.join(ROOT, 'bench', 'workloads', 'switch_heavy.py');
const line = (stderr: string): string => /^greenlet-lens: recorded .*$/m.exec(stderr)?.[0] ?? `(no recorded line in: ${stderr})`;

function files(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : [];
}

async function eventsOf(trace: string): Promise<{ events: unknown[]; recorder: string | null }> {
  const { read } = await load(trace);
  assert.equal(read.status, 'complete', read.problem?.message);
  return { events: timeless(read.events), recorder: read.header?.recorder ?? null };
}

test('the core is built once into the cache and loaded from there; the trace says it was used', async () => {
  const cache = tmpFile('cache');
  const first = record(PROGRAM, ['200'], { XDG_CACHE_HOME: cache, GREENLET_LENS_PURE: '' });
  assert.equal(first.status, 0, first.stderr);
  assert.doesNotMatch(line(first.stderr), /pure-Python/);
  const built = files(path.join(cache, 'greenlet-lens', 'core')).filter((f) => /_core\..*so$/.test(f));
  assert.equal(built.length, 1, `one module in the cache: ${files(cache).join(', ')}`);
  const mtime = fs.statSync(path.join(cache, 'greenlet-lens', 'core', built[0]!)).mtimeMs;
  const second = record(PROGRAM, ['200'], { XDG_CACHE_HOME: cache, GREENLET_LENS_PURE: '' });
  assert.equal(second.status, 0, second.stderr);
  assert.equal(fs.statSync(path.join(cache, 'greenlet-lens', 'core', built[0]!)).mtimeMs, mtime, 'not built again');
  assert.equal((await eventsOf(second.trace)).recorder, 'compiled');
});

test('without a compiler the pure-Python recorder records the same, says why once per run, and the failed build is remembered', async () => {
  const cache = tmpFile('cache-nocc');
  const env = { XDG_CACHE_HOME: cache, CC: path.join(cache, 'no-such-cc'), GREENLET_LENS_PURE: '' };
  const ref = plain(PROGRAM, ['300']);
  const first = record(PROGRAM, ['300'], env);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, ref.stdout);
  assert.match(line(first.stderr), / with the pure-Python recorder \(cannot run the C compiler .*no-such-cc/);
  assert.equal(first.stderr.split('\n').filter((l) => l.includes('pure-Python')).length, 1, first.stderr);
  const pure = await eventsOf(first.trace);
  assert.match(pure.recorder ?? '', /^pure-python: cannot run the C compiler/);
  const failed = files(path.join(cache, 'greenlet-lens', 'core')).filter((f) => f.endsWith('failed'));
  assert.equal(failed.length, 1, 'the failure is remembered');
  const second = record(PROGRAM, ['300'], env);
  assert.match(line(second.stderr), /an earlier build; remove .*failed to try again/);
  // The same events as the compiled core's.
  const compiled = await eventsOf(record(PROGRAM, ['300'], { GREENLET_LENS_PURE: '' }).trace);
  assert.equal(compiled.recorder, 'compiled');
  assert.deepEqual(pure.events, compiled.events);
});

test('GREENLET_LENS_PURE=1 records with the pure-Python recorder and says so', async () => {
  const r = record(path.join(PROGRAMS, 'channel.py'), [], { GREENLET_LENS_PURE: '1' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(line(r.stderr), / with the pure-Python recorder \(GREENLET_LENS_PURE=1\)/);
  assert.equal((await eventsOf(r.trace)).recorder, 'pure-python: GREENLET_LENS_PURE=1');
});

test("with the core, an object gevent makes for itself through a rebound name is of gevent's own class, and is not recorded", async () => {
  const program = path.join(PROGRAMS, 'own_objects_class.py');
  const ref = plain(program);
  assert.equal(ref.status, 0, ref.stderr);
  const r = record(program, [], { GREENLET_LENS_PURE: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ref.stdout, "the RLock's Semaphore is gevent's class, not the recorder's subclass");
  const seen = JSON.parse(r.stdout) as { rlock_semaphore: string[]; joined: number };
  assert.equal(new Set(seen.rlock_semaphore).size, seen.rlock_semaphore.length, seen.rlock_semaphore.join(' < '));
  assert.equal(seen.joined, 0);
  const { read, last } = await load(r.trace);
  assert.equal(read.header?.recorder, 'compiled');
  assert.deepEqual([last.locks.map((l) => l.label), last.events.map((e) => e.label)], [['lock'], []]);
  assert.equal(last.end?.errors, 0);
});
