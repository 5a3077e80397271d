import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ErrorCode, TraceError } from '../../shared/errors';
import { readTraceFile, readTraceFileSync, streamTraceFile } from '../../shared/trace/read-file';
import { sequence } from '../support/events';
import { SAMPLE, sampleBytes } from '../support/sample-trace';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-read-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'sample.glt');
fs.writeFileSync(file, sampleBytes());

test('reads a trace in small pieces, async and sync alike', async () => {
  const result = await readTraceFile(file, 13);
  assert.deepEqual(result.events, sequence(SAMPLE));
  assert.equal(result.status, 'complete');
  assert.equal(result.fileSize, fs.statSync(file).size);
  assert.equal(result.header?.pid, 4242);
  assert.deepEqual(readTraceFileSync(file, 7), result);
});

test('streaming hands over batches in order and reports the summary', async () => {
  const batches: number[] = [];
  const summary = await streamTraceFile(file, (events) => void batches.push(events.length), 64);
  assert.equal(batches.reduce((a, b) => a + b, 0), SAMPLE.length);
  assert.ok(batches.length > 1);
  assert.equal(summary.eventCount, SAMPLE.length);
});

test('a missing file rejects with FileNotFound; a directory with ReadFailed', async () => {
  await assert.rejects(readTraceFile(path.join(dir, 'nope.glt')), (e: unknown) => e instanceof TraceError && e.code === ErrorCode.FileNotFound);
  assert.throws(() => readTraceFileSync(path.join(dir, 'nope.glt')), (e: unknown) => e instanceof TraceError && e.code === ErrorCode.FileNotFound);
  await assert.rejects(readTraceFile(dir), (e: unknown) => e instanceof TraceError && e.code === ErrorCode.ReadFailed);
});
