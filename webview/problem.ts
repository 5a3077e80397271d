/**
 * Why a recorded trace could not be read (fully), for the
 * `[data-role=trace-problem]` banner: the decoder's problem in the words of
 * shared/present/trace-problem.ts, or why the fetch failed.
 */

import { messageOf } from '../shared/errors';
import { traceProblemText } from '../shared/present/trace-problem';
import { ErrorCode, TraceError, type DecodeResult } from '../shared/trace/index';

/** The fetch of the trace's bytes failed (HTTP status, network). */
export class FetchError extends Error {
  override readonly name = 'FetchError';
}

/** The banner's text for a decode result, or null when the trace was read to its end. */
export function problemOfResult(result: Pick<DecodeResult, 'status' | 'problem'>, events: number): string | null {
  if (result.problem === null) return null;
  return problemOfError(result.problem, events);
}

/** The banner's text for anything thrown while loading (a TraceError, a FetchError, anything else). */
export function problemOfError(err: unknown, events: number): string {
  if (err instanceof FetchError) return `The trace could not be loaded: ${err.message}.`;
  const problem = err instanceof TraceError ? err : new TraceError(ErrorCode.Internal, messageOf(err));
  return traceProblemText(problem, events, 'shown');
}
