import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TraceError } from '../../shared/errors';
import { traceProblemText } from '../../shared/present/trace-problem';
import { TraceDecoder } from '../../shared/trace/decoder';
import { TraceBuilder } from '../support/trace-builder';
import { SAMPLE } from '../support/sample-trace';

function problemOf(bytes: Uint8Array): TraceError {
  const d = new TraceDecoder();
  d.push(bytes);
  const problem = d.finish().problem;
  assert.ok(problem !== null);
  return problem;
}

test('trace problems are worded from the error\'s code and facts, the same for the board, the CLI and a replay', () => {
  assert.equal(traceProblemText(problemOf(new Uint8Array(0)), 0, 'shown'), 'This trace is empty: the file has no bytes.');
  const older = problemOf(new TraceBuilder({ major: 0, minor: 0 }).add(SAMPLE[0]!).bytes());
  assert.deepEqual(older.facts.version, [0, 0]);
  assert.equal(traceProblemText(older, 0, 'read'), 'This trace was written by an older Greenlet Lens (format version 0.0); this one reads format version 1.x.');
  const whole = new TraceBuilder().add(...SAMPLE.slice(0, 5)).flush().add(...SAMPLE.slice(5, 9)).bytes();
  const cut = problemOf(whole.subarray(0, whole.length - 3));
  assert.match(cut.facts.ends ?? '', /^inside the chunk at byte \d+ \(/);
  assert.match(traceProblemText(cut, 5, 'shown'), /^This trace is truncated: it ends inside the chunk at byte \d+ \(.*\); the 5 events before that point are shown\.$/);
  assert.match(traceProblemText(cut, 1, 'read'), /; the 1 event before that point was read\.$/);
  assert.match(traceProblemText(cut, 5, 'replayed'), /; the 5 events before that point are replayed\.$/);
  assert.equal(traceProblemText(new TraceError(ErrorCode.FileNotFound, 'no such file: x.glt'), 0, 'read'), 'The trace could not be read: no such file: x.glt.');
});
