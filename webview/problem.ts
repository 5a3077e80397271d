/**
 * Why a recorded trace could not be read (fully), in words for the
 * `[data-role=trace-problem]` banner: what the decoder reported (truncated,
 * corrupt, another format version, not a trace) or why the fetch failed,
 * and how many events were read before that point.
 */

import { ErrorCode, FORMAT_MAJOR, TraceError, type DecodeResult } from '../shared/trace/index';

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
  const shown = events === 0 ? 'no events could be read.' : `the ${plural(events, 'event')} before that point ${events === 1 ? 'is' : 'are'} shown.`;
  if (err instanceof FetchError) return `The trace could not be loaded: ${err.message}.`;
  if (!(err instanceof TraceError)) {
    const message = err instanceof Error ? err.message : String(err);
    return `The trace could not be read: ${message}; ${shown}`;
  }
  const detail = err.message.replace(/^the trace /, 'it ');
  switch (err.code) {
    case ErrorCode.BadMagic:
      return 'This is not a Greenlet Lens trace: the file does not start with the trace signature.';
    case ErrorCode.UnsupportedVersion: {
      const m = /version (\d+)\.(\d+)/.exec(err.message);
      const major = m === null ? NaN : Number(m[1]);
      const version = m === null ? 'an unknown format' : `format ${m[1]}.${m[2]}`;
      const who = major > FORMAT_MAJOR ? 'a newer' : major < FORMAT_MAJOR ? 'an older' : 'another';
      return `This trace was written by ${who} Greenlet Lens (${version}); this board reads ${FORMAT_MAJOR}.x.`;
    }
    case ErrorCode.TruncatedHeader:
      return /empty/.test(err.message) ? 'This trace is empty: the file has no bytes.' : `This trace is truncated: ${detail}; ${shown}`;
    case ErrorCode.TruncatedChunk:
      return `This trace is truncated: ${detail}; ${shown}`;
    case ErrorCode.BadHeader:
      return `This trace's header cannot be read: ${detail}; ${shown}`;
    case ErrorCode.CorruptChunk:
    case ErrorCode.BadRecord:
    case ErrorCode.BadReference:
      return `This trace is corrupt: ${detail}; ${shown}`;
    default:
      return `The trace could not be read: ${detail}; ${shown}`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
