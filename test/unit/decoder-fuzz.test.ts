import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TraceError } from '../../shared/errors';
import { TraceDecoder } from '../../shared/trace/decoder';
import { CHUNK_MARKER, DEFINITION_RECORDS, EVENT_RECORDS, FIRST_EXTENSION_TAG, FORMAT_MAJOR, FORMAT_MINOR } from '../../shared/trace/schema';
import { sequence } from '../support/events';
import { randomInt, seededRandom } from '../support/random';
import { SAMPLE, sampleBytes } from '../support/sample-trace';
import { TraceBuilder, chunk } from '../support/trace-builder';

const EXPECTED = sequence(SAMPLE);
const VALID = sampleBytes(3);
const MINIMAL = new TraceBuilder({ header: { format: 'greenlet-lens-trace', version: [FORMAT_MAJOR, FORMAT_MINOR] } }).bytes();

/** Feeds bytes in random pieces; fails the test on anything but a TraceError. */
function survive(bytes: Uint8Array, rand: () => number, label: string) {
  const decoder = new TraceDecoder();
  let events = 0;
  try {
    let at = 0;
    while (at < bytes.length) {
      const n = 1 + randomInt(rand, 64);
      events += decoder.push(bytes.subarray(at, at + n)).length;
      at += n;
    }
    const result = decoder.finish();
    events += result.events.length;
    if (result.problem !== null) {
      assert.ok(result.problem instanceof TraceError);
      assert.notEqual(result.problem.code, ErrorCode.Internal, `${label}: ${result.problem.message}`);
    }
    return { result, events };
  } catch (err) {
    assert.ok(err instanceof TraceError, `${label}: threw ${String(err)}`);
    assert.notEqual(err.code, ErrorCode.Internal, `${label}: ${err.message}`);
    return null;
  }
}

test('random bytes never throw anything but TraceError', () => {
  const rand = seededRandom(0xdecaf);
  for (let i = 0; i < 2000; i++) {
    const noise = Uint8Array.from({ length: randomInt(rand, 200) }, () => randomInt(rand, 256));
    // Every other case starts with a valid preamble, so the fuzz reaches the chunk reader.
    const prefix = i % 2 === 0 ? MINIMAL : new Uint8Array(0);
    // Some cases also get a chunk marker, so chunk headers are fuzzed too.
    if (i % 4 === 0 && noise.length > 0) noise[0] = CHUNK_MARKER;
    const bytes = new Uint8Array(prefix.length + noise.length);
    bytes.set(prefix);
    bytes.set(noise, prefix.length);
    survive(bytes, rand, `random case ${i}`);
  }
});

test('valid records after a valid header, then random bytes, never crash the decoder', () => {
  const rand = seededRandom(42);
  for (let i = 0; i < 1000; i++) {
    const cut = randomInt(rand, VALID.length);
    const tail = Uint8Array.from({ length: randomInt(rand, 80) }, () => randomInt(rand, 256));
    const bytes = new Uint8Array(cut + tail.length);
    bytes.set(VALID.subarray(0, cut));
    bytes.set(tail, cut);
    survive(bytes, rand, `spliced case ${i}`);
  }
});

test('bit flips and truncations of a valid trace: corrupt data keeps a true prefix', () => {
  const rand = seededRandom(1234);
  for (let i = 0; i < 3000; i++) {
    const bytes = VALID.slice(0, VALID.length - (i % 3 === 0 ? randomInt(rand, 40) : 0));
    const flips = 1 + randomInt(rand, 3);
    for (let f = 0; f < flips; f++) bytes[randomInt(rand, bytes.length)]! ^= 1 << randomInt(rand, 8);
    const outcome = survive(bytes, rand, `flip case ${i}`);
    if (outcome?.result.status === 'corrupt') {
      const decoder = new TraceDecoder();
      const events = [...decoder.push(bytes), ...decoder.finish().events];
      // Chunks are verified before use, so whatever came out is exactly the original's start.
      assert.deepEqual(events, EXPECTED.slice(0, events.length), `flip case ${i}`);
    }
  }
});

test('random payloads inside chunks with a correct CRC reach the record parser safely', () => {
  const rand = seededRandom(99);
  // Every tag of the schema, and the first and last extension tags.
  const tags: number[] = [...DEFINITION_RECORDS, ...EVENT_RECORDS].map((r) => r.tag);
  tags.push(FIRST_EXTENSION_TAG, 0xff);
  let decodedSome = 0;
  for (let i = 0; i < 2000; i++) {
    const payload: number[] = [];
    const records = 1 + randomInt(rand, 12);
    for (let r = 0; r < records; r++) {
      payload.push(tags[randomInt(rand, tags.length)]!);
      // Small values make valid references likely, so decoding gets deep.
      const fields = randomInt(rand, 9);
      for (let f = 0; f < fields; f++) payload.push(rand() < 0.9 ? randomInt(rand, 4) : randomInt(rand, 256));
    }
    const body = chunk(payload);
    const bytes = new Uint8Array(MINIMAL.length + body.length);
    bytes.set(MINIMAL);
    bytes.set(body, MINIMAL.length);
    const outcome = survive(bytes, rand, `payload case ${i}`);
    decodedSome += outcome?.events ?? 0;
  }
  assert.ok(decodedSome > 100, `the fuzz decoded ${decodedSome} events, so it reached the event parser`);
});
