/** How a read trace ended, told to the user, and the exit status it implies. */

import { ErrorCode, TraceError } from '../shared/errors';
import { NO_END_RECORD, traceProblemText } from '../shared/present/trace-problem';
import type { TraceReadSummary } from '../shared/trace/read-file';
import { printError, printNote } from './output';

export function reportOutcome(file: string, summary: TraceReadSummary): number {
  const n = summary.eventCount;
  switch (summary.status) {
    case 'complete':
      return 0;
    case 'incomplete':
      printNote(`${file}: ${NO_END_RECORD}; all ${n} events in it were read`);
      return 0;
    case 'truncated':
    case 'corrupt': {
      const problem = summary.problem ?? new TraceError(ErrorCode.Internal, `the trace is ${summary.status}`);
      printError(`${file}: ${traceProblemText(problem, n, 'read')}`);
      return 1;
    }
  }
}

/** True when nothing could be read, so there is nothing to print before the error. */
export function unreadable(summary: TraceReadSummary): boolean {
  return summary.header === null && summary.status !== 'complete' && summary.status !== 'incomplete';
}
