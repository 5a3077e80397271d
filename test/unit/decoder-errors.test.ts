import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TraceError } from '../../shared/errors';
import { TAGS } from '../../shared/trace/schema';
import { decodeAll } from '../support/decode';
import { sequence } from '../support/events';
import { SAMPLE, sampleBytes } from '../support/sample-trace';
import { TraceBuilder, chunk, defaultHeader } from '../support/trace-builder';

const EXPECTED = sequence(SAMPLE);

function expectProblem(bytes: Uint8Array, code: ErrorCode, offset?: number) {
  const decoded = decodeAll(bytes);
  const problem = decoded.result.problem;
  assert.ok(problem instanceof TraceError, `expected ${code}, got status ${decoded.result.status}`);
  assert.equal(problem.code, code, problem.message);
  if (offset !== undefined) assert.equal(problem.offset, offset, problem.message);
  return decoded;
}

/** Byte offsets where each chunk starts, read from the bytes themselves. */
function chunkStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  // magic, version, length (16 bytes), the JSON, its CRC (4), then chunks.
  for (let at = 16 + view.getUint32(12, true) + 4; at < bytes.length; at += 9 + view.getUint32(at + 1, true)) starts.push(at);
  return starts;
}

test('a cut inside a chunk keeps every whole record before the cut', () => {
  // One chunk holding everything: prefixes of the payload are prefixes of the records.
  const full = sampleBytes(1000);
  const start = chunkStarts(full)[0]!;
  for (let k = 0; k < SAMPLE.length; k++) {
    const prefix = sampleBytes(1000, SAMPLE.slice(0, k));
    const recordsEnd = k === 0 ? start + 9 : prefix.length;
    // Cut exactly after record k-1, and a few bytes into record k.
    for (const cut of [recordsEnd, recordsEnd + 1, recordsEnd + 2]) {
      if (cut >= full.length) continue;
      const { events, result } = decodeAll(full.subarray(0, cut));
      assert.equal(result.status, 'truncated', `cut at ${cut}`);
      assert.equal(result.problem?.code, ErrorCode.TruncatedChunk);
      assert.equal(result.problem?.offset, start);
      assert.deepEqual(events, EXPECTED.slice(0, k), `cut at ${cut} keeps ${k} records`);
    }
  }
});

test('a cut at any byte never loses a complete chunk and never throws', () => {
  const full = sampleBytes(4);
  const starts = chunkStarts(full);
  for (let cut = 0; cut < full.length; cut++) {
    const { events, result } = decodeAll(full.subarray(0, cut));
    assert.deepEqual(events, EXPECTED.slice(0, events.length));
    const wholeChunks = starts.filter((s) => s < cut).length - 1;
    assert.ok(events.length >= Math.max(0, wholeChunks) * 4, `cut ${cut}: ${events.length} events`);
    if (starts.includes(cut)) assert.equal(result.status, 'incomplete', `cut ${cut} at a chunk boundary`);
    else assert.equal(result.status, 'truncated', `cut ${cut}`);
  }
});

test('a flipped bit in a chunk is CorruptChunk at that chunk, earlier chunks kept', () => {
  const full = sampleBytes(4);
  const starts = chunkStarts(full);
  const target = starts[3]!;
  const bytes = full.slice();
  bytes[target + 9 + 2]! ^= 0x10;
  const { events, result } = expectProblem(bytes, ErrorCode.CorruptChunk, target);
  assert.equal(result.status, 'corrupt');
  assert.match(result.problem!.message, new RegExp(`byte ${target}\\b`));
  assert.deepEqual(events, EXPECTED.slice(0, 12));
});

test('a damaged chunk marker is CorruptChunk', () => {
  const full = sampleBytes(4);
  const target = chunkStarts(full)[1]!;
  const bytes = full.slice();
  bytes[target] = 0x00;
  const { events } = expectProblem(bytes, ErrorCode.CorruptChunk, target);
  assert.equal(events.length, 4);
});

test('wrong major version is UnsupportedVersion; bad magic is BadMagic', () => {
  const v2 = new TraceBuilder({ major: 2, minor: 0 }).add(SAMPLE[0]!).bytes();
  const { events, result } = expectProblem(v2, ErrorCode.UnsupportedVersion, 8);
  assert.equal(events.length, 0);
  assert.match(result.problem!.message, /version 2\.0/);
  expectProblem(new TextEncoder().encode('{"not": "a trace"}\n'), ErrorCode.BadMagic, 0);
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
  expectProblem(png, ErrorCode.BadMagic, 1);
});

test('a header that is not the trace header JSON is BadHeader', () => {
  const notJson = new TraceBuilder().bytes();
  notJson[16] = 0x5b; // '{' becomes '['
  expectProblem(notJson, ErrorCode.BadHeader, 16);
  expectProblem(new TraceBuilder({ header: { ...defaultHeader(), format: 'other' } }).bytes(), ErrorCode.BadHeader);
  expectProblem(new TraceBuilder({ header: { ...defaultHeader(), version: [1, 3] } }).bytes(), ErrorCode.BadHeader);
  expectProblem(new TraceBuilder({ header: { ...defaultHeader(), pid: 'x' } }).bytes(), ErrorCode.BadHeader);
});

test('an empty or header-cut file is TruncatedHeader', () => {
  expectProblem(new Uint8Array(0), ErrorCode.TruncatedHeader, 0);
  const bytes = new TraceBuilder().bytes();
  const { result } = expectProblem(bytes.subarray(0, 30), ErrorCode.TruncatedHeader);
  assert.equal(result.status, 'truncated');
});

test('bad references, unknown tags and overruns inside a valid chunk are reported with offsets', () => {
  const ok = new TraceBuilder().add(SAMPLE[0]!).flush();
  const base = ok.bytes().length + 9;
  const badString = new TraceBuilder().add(SAMPLE[0]!).flush().raw([TAGS.T_MARK, 1, 99]).bytes();
  const { events } = expectProblem(badString, ErrorCode.BadReference, base + 2);
  assert.equal(events.length, 1, 'the event before the bad record is kept');
  expectProblem(new TraceBuilder().add(SAMPLE[0]!).flush().raw([0x40, 1]).bytes(), ErrorCode.BadRecord, base);
  expectProblem(new TraceBuilder().add(SAMPLE[0]!).flush().raw([TAGS.T_READY, 1, 1]).bytes(), ErrorCode.BadRecord, base);
  expectProblem(new TraceBuilder().raw([TAGS.T_BLOCK, 1, 1, 42, 0, 0, 0, 0]).bytes(), ErrorCode.BadRecord);
  expectProblem(new TraceBuilder().raw([TAGS.T_STACK, 1, 0]).bytes(), ErrorCode.BadReference);
});

test('a chunk claiming an absurd length is corrupt, not waited for', () => {
  const head = new TraceBuilder().bytes();
  const bogus = chunk([]);
  new DataView(bogus.buffer).setUint32(1, 0xfffffff0, true);
  const bytes = new Uint8Array(head.length + bogus.length);
  bytes.set(head);
  bytes.set(bogus, head.length);
  expectProblem(bytes, ErrorCode.CorruptChunk, head.length);
});
