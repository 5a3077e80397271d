/**
 * The reconstructed program state at one event, as a plain JSON-able object:
 * what the CLI prints, the debug adapter sends and the webview draws.
 */

import type { BlockReason, Frame, GKind, OKind } from '../trace/events';

export type GreenletStateName = 'not_started' | 'runnable' | 'running' | 'blocked' | 'dead_ok' | 'dead_exception';

export interface BlockedOn {
  readonly reason: BlockReason;
  /** Object id, or for `join` the greenlet id; 0 when none. */
  readonly obj: number;
  /** "Queue#1", or for `join` the greenlet's label; null when there is no object. */
  readonly objLabel: string | null;
  readonly timeout: number | null;
  readonly site: Frame | null;
}

/** gevent's view of a greenlet: started/ready()/successful(), value, exception. */
export interface GreenletFlags {
  readonly started: boolean;
  readonly ready: boolean;
  readonly successful: boolean;
  /** The greenlet ended with GreenletExit (gevent counts that as successful). */
  readonly killed: boolean;
  readonly value: string | null;
  readonly exception: string | null;
}

export interface ExceptionInfo {
  readonly type: string;
  readonly message: string;
  readonly traceback: string;
}

export interface GreenletView {
  readonly id: number;
  /** The explicit name, else the function, else "greenlet-<id>". */
  readonly name: string;
  /** "g<id> <name>", for lists and arrows. */
  readonly label: string;
  readonly gkind: GKind;
  readonly func: string;
  readonly parent: number;
  readonly spawnSite: Frame | null;
  readonly state: GreenletStateName;
  readonly blockedOn: BlockedOn | null;
  readonly flags: GreenletFlags;
  /** Times switched into. */
  readonly switches: number;
  readonly exceptionInfo: ExceptionInfo | null;
}

export interface QueueView {
  readonly id: number;
  /** "<okind>#<n>", numbered per okind in order of first sight. */
  readonly label: string;
  readonly type: OKind;
  /** The program's class name (may be a subclass). */
  readonly className: string;
  /** null when unbounded. */
  readonly maxsize: number | null;
  readonly items: string[];
  readonly getters: number[];
  readonly putters: number[];
}

export interface EventObjectView {
  readonly id: number;
  readonly label: string;
  readonly type: 'Event' | 'AsyncResult';
  readonly className: string;
  readonly set: boolean;
  readonly value: string | null;
  readonly exception: string | null;
  readonly waiters: number[];
}

export interface LockView {
  readonly id: number;
  readonly label: string;
  readonly type: OKind;
  readonly className: string;
  /** Semaphore value; null when unbounded. */
  readonly capacity: number | null;
  /** One entry per acquisition (an RLock held twice appears twice). */
  readonly holders: number[];
  readonly waiters: number[];
}

export interface MarkEntry {
  readonly seq: number;
  readonly t: number;
  readonly label: string;
}

export interface RuntimeErrorEntry {
  readonly seq: number;
  readonly t: number;
  readonly message: string;
}

export interface EndInfo {
  readonly code: number;
  readonly switches: number;
  readonly errors: number;
}

export interface TraceState {
  /** The last event applied; -1 before the first. */
  readonly seq: number;
  readonly t: number;
  /** The running greenlet, or null before the first switch. */
  readonly current: number | null;
  readonly greenlets: GreenletView[];
  readonly queues: QueueView[];
  readonly events: EventObjectView[];
  readonly locks: LockView[];
  /** Marks up to this event, in order. */
  readonly marks: MarkEntry[];
  /** Runtime `error` records up to this event: things the tracer failed to observe. */
  readonly errors: RuntimeErrorEntry[];
  /** The `end` record, once reached. */
  readonly end: EndInfo | null;
  /** Events so far that did not fit the model (e.g. a get of an item not in the queue). */
  readonly inconsistencies: number;
}
