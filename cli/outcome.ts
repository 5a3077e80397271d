/** How a read trace ended, told to the user, and the exit status it implies. */

import type { TraceReadSummary } from '../shared/trace/read-file';
import { printError, printNote } from './output';

export function reportOutcome(file: string, summary: TraceReadSummary): number {
  const n = summary.eventCount;
  switch (summary.status) {
    case 'complete':
      return 0;
    case 'incomplete':
      printNote(`${file}: the trace has no end record (the program was killed or is still running); all ${n} events in it were read`);
      return 0;
    case 'truncated':
    case 'corrupt': {
      const message = summary.problem?.message ?? `the trace is ${summary.status}`;
      const kept = n > 0 ? `; ${n} events were read up to there` : '';
      printError(`${file}: ${summary.status} trace: ${message}${kept}`);
      return 1;
    }
  }
}

/** True when nothing could be read, so there is nothing to print before the error. */
export function unreadable(summary: TraceReadSummary): boolean {
  return summary.header === null && summary.status !== 'complete' && summary.status !== 'incomplete';
}
