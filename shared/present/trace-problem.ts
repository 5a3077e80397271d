/**
 * A trace that could not be read (fully), in the words every surface uses:
 * the board's banner, the command line's error, a replay session's note.
 * Built from the TraceError's code and facts, never from its message text.
 */

import { ErrorCode, type TraceError } from '../errors';
import { FORMAT_MAJOR } from '../trace/schema';

/** What happens to the events read before the problem, where the sentence is read. */
export type KeptEvents = 'shown' | 'read' | 'replayed';

/** Said of a trace without its `end` record, which is still read whole. */
export const NO_END_RECORD = 'the trace has no end record: the program was killed or is still running';

/** One sentence: what is wrong with the trace, and what became of the events before the problem. */
export function traceProblemText(problem: TraceError, events: number, kept: KeptEvents): string {
  const before = events === 0
    ? `no events could be ${kept === 'replayed' ? 'read' : kept}.`
    : `the ${plural(events, 'event')} before that point ${verb(events, kept)} ${kept}.`;
  const f = problem.facts;
  switch (problem.code) {
    case ErrorCode.BadMagic:
      return 'This is not a Greenlet Lens trace: the file does not start with the trace signature.';
    case ErrorCode.UnsupportedVersion: {
      const [major, minor] = f.version ?? [Number.NaN, Number.NaN];
      const who = major > FORMAT_MAJOR ? 'a newer' : major < FORMAT_MAJOR ? 'an older' : 'another';
      return `This trace was written by ${who} Greenlet Lens (format version ${major}.${minor}); this one reads format version ${FORMAT_MAJOR}.x.`;
    }
    case ErrorCode.TruncatedHeader:
    case ErrorCode.TruncatedChunk:
      if (f.empty === true) return 'This trace is empty: the file has no bytes.';
      return `This trace is truncated: it ends ${f.ends ?? 'early'}; ${before}`;
    case ErrorCode.BadHeader:
      return `This trace's header cannot be read: ${problem.message}; ${before}`;
    case ErrorCode.CorruptChunk:
    case ErrorCode.BadRecord:
    case ErrorCode.BadReference:
      return `This trace is corrupt: ${problem.message}; ${before}`;
    case ErrorCode.FileNotFound:
    case ErrorCode.ReadFailed:
      return `The trace could not be read: ${problem.message}.`;
    case ErrorCode.Internal:
      return `The trace could not be read: ${problem.message}; ${before}`;
  }
}

function verb(n: number, kept: KeptEvents): string {
  if (kept === 'read') return n === 1 ? 'was' : 'were';
  return n === 1 ? 'is' : 'are';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
