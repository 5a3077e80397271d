/** Which list of the state (queues, events, locks) an object kind belongs to. */

import { assertNever } from '../assert-never';
import type { OKind } from '../trace/events';

export type ObjectCategory = 'queue' | 'event' | 'lock';

export function categoryOf(okind: OKind): ObjectCategory {
  switch (okind) {
    case 'Event':
    case 'AsyncResult':
      return 'event';
    case 'Semaphore':
    case 'BoundedSemaphore':
    case 'Lock':
    case 'RLock':
      return 'lock';
    case 'Queue':
    case 'LifoQueue':
    case 'PriorityQueue':
    case 'JoinableQueue':
    case 'Channel':
    case 'SimpleQueue':
      return 'queue';
    default:
      return assertNever(okind, 'object kind');
  }
}
