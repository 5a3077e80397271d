import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceDecoder } from '../../shared/trace/decoder';
import { FORMAT_MAJOR, FORMAT_MINOR, TAGS } from '../../shared/trace/schema';
import { decodeAll, decodePieces, splitAt } from '../support/decode';
import { sequence } from '../support/events';
import { seededRandom, randomInt } from '../support/random';
import { SAMPLE, sampleBytes } from '../support/sample-trace';
import { TraceBuilder, defaultHeader } from '../support/trace-builder';

const EXPECTED = sequence(SAMPLE);

test('decodes every event kind to the documented JSON form', () => {
  const { header, events, result } = decodeAll(sampleBytes());
  assert.equal(result.status, 'complete');
  assert.equal(result.problem, null);
  assert.deepEqual(events, EXPECTED);
  assert.deepEqual(header, { ...defaultHeader(), version: [FORMAT_MAJOR, FORMAT_MINOR] });
});

test('JSON keys come in documented order, seq and t first', () => {
  const { events } = decodeAll(sampleBytes());
  const block = events.find((e) => e.kind === 'block' && e.reason === 'queue_put')!;
  assert.equal(
    JSON.stringify(block),
    '{"seq":17,"t":5004,"kind":"block","g":3,"reason":"queue_put","obj":1,"timeout":2.5,' +
      '"site":{"file":"/app/demo.py","line":50,"function":"producer"},' +
      '"stack":[{"file":"/app/demo.py","line":50,"function":"producer"},{"file":"/app/demo.py","line":40,"function":"<module>"}]}',
  );
  assert.equal(JSON.stringify(events.find((e) => e.kind === 'object')), '{"seq":2,"t":3,"kind":"object","obj":1,"okind":"Queue","capacity":2,"type":"Queue","site":{"file":"/app/demo.py","line":10,"function":"<module>"},"by":1}');
  assert.equal(JSON.stringify(events.at(-1)), '{"seq":41,"t":5028,"kind":"end","code":-3,"switches":9,"errors":1}');
});

test('event times are the running sum of dt', () => {
  const { events } = decodeAll(sampleBytes());
  assert.deepEqual(events.slice(11, 15).map((e) => e.t), [12, 13, 5000, 5001]);
});

test('the same events come out however the bytes are split', () => {
  const bytes = sampleBytes(5);
  for (let cut = 1; cut < bytes.length; cut++) {
    const { events, result } = decodePieces(splitAt(bytes, [cut]));
    assert.equal(result.status, 'complete', `split at ${cut}`);
    assert.deepEqual(events, EXPECTED, `split at ${cut}`);
  }
  const ones = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  assert.deepEqual(decodePieces(ones).events, EXPECTED, 'one byte at a time');
  const rand = seededRandom(7);
  for (let round = 0; round < 50; round++) {
    const cuts = Array.from({ length: 6 }, () => randomInt(rand, bytes.length)).sort((a, b) => a - b);
    assert.deepEqual(decodePieces(splitAt(bytes, cuts)).events, EXPECTED, `cuts ${cuts.join(',')}`);
  }
});

test('events are emitted as soon as their chunk is complete', () => {
  const b = new TraceBuilder().add(SAMPLE[0]!, SAMPLE[1]!).flush();
  const first = b.bytes();
  b.add(SAMPLE[2]!).flush();
  const both = b.bytes();
  const d = new TraceDecoder();
  assert.equal(d.push(first.subarray(0, first.length - 1)).length, 0);
  assert.equal(d.push(first.subarray(first.length - 1)).length, 2);
  assert.equal(d.push(both.subarray(first.length)).length, 1);
  assert.equal(d.finish().status, 'incomplete');
});

test('extension records are skipped and a higher minor version is accepted', () => {
  const b = new TraceBuilder({ minor: 7 });
  b.add(SAMPLE[0]!).raw([0x80, 3, 1, 2, 3]).raw([0xff, 0]).add(SAMPLE[1]!);
  b.raw([0x9a, 0x81, 0x01, ...new Array<number>(129).fill(0x3f)]).add({ kind: 'end', code: 0, switches: 0, errors: 0 });
  const { header, events, result } = decodeAll(b.bytes());
  assert.deepEqual(header?.version, [1, 7]);
  assert.deepEqual(events.map((e) => e.kind), ['spawn', 'spawn', 'end']);
  assert.deepEqual(events.map((e) => e.seq), [0, 1, 2]);
  assert.equal(result.status, 'complete');
});

test('a trace without an end record is incomplete but fully read', () => {
  const { events, result } = decodeAll(sampleBytes(7, SAMPLE.slice(0, -1)));
  assert.equal(events.length, SAMPLE.length - 1);
  assert.equal(result.status, 'incomplete');
  assert.equal(result.problem, null);
});

test('empty chunks and a header-only trace are valid', () => {
  const b = new TraceBuilder().flush().flush();
  const { events, result } = decodeAll(b.bytes());
  assert.equal(events.length, 0);
  assert.equal(result.status, 'incomplete');
});

test('with internedStrings N, strings past N are used by the next event only: they are not kept, and a later reference is an error', () => {
  const header = { ...defaultHeader(), internedStrings: 2 };
  const b = new TraceBuilder({ header });
  // Two kept strings, then 50k one-shot labels (the runtime's item reprs past its intern table).
  b.add({ kind: 'mark', label: 'kept-1' }, { kind: 'mark', label: 'kept-2' });
  for (let i = 0; i < 50_000; i++) b.add({ kind: 'mark', label: `once ${i}` });
  b.add({ kind: 'mark', label: 'kept-1' });
  const ok = decodeAll(b.bytes());
  assert.equal(ok.result.problem, null);
  assert.equal(ok.events.length, 50_003);
  assert.deepEqual(ok.events.slice(-2).map((e) => (e.kind === 'mark' ? e.label : '')), ['once 49999', 'kept-1']);
  assert.equal(ok.header?.internedStrings, 2);
  // The builder interns everything, so it refers back to a one-shot string: a reader that keeps
  // only what the header promises must say so, not return a wrong label.
  b.add({ kind: 'mark', label: 'once 7' });
  const bad = decodeAll(b.bytes());
  assert.equal(bad.result.status, 'corrupt');
  assert.match(bad.result.problem!.message, /reference to string 10 at byte \d+, defined before the previous event; the header says strings past 2 are used by the next event only/);
});

test('string reference 0 is the empty string, frame and stack 0 are none', () => {
  const b = new TraceBuilder().raw([TAGS.T_SPAWN, 1, 5, 0, 3, 0, 0, 0, 0]);
  const { events } = decodeAll(b.bytes());
  assert.deepEqual(events, [{ seq: 0, t: 1, kind: 'spawn', g: 5, parent: 0, gkind: 'greenlet', name: '', func: '', site: null, stack: [] }]);
});
