/**
 * The decoded form of trace records: exactly the JSON that `greenlet-lens cat`
 * prints. Field names and order follow docs/trace-format.md; every event
 * starts with `seq`, `t` (microseconds since the header's t0) and `kind`.
 */

import type { BlockReason, GKind, OKind } from './format';

export type { BlockReason, GKind, OKind } from './format';

export interface Frame {
  readonly file: string;
  readonly line: number;
  readonly function: string;
}

interface EventBase {
  readonly seq: number;
  readonly t: number;
}

export interface SpawnEvent extends EventBase {
  readonly kind: 'spawn';
  readonly g: number;
  readonly parent: number;
  readonly gkind: GKind;
  readonly name: string;
  readonly func: string;
  readonly site: Frame | null;
  readonly stack: readonly Frame[];
}

export interface SwitchEvent extends EventBase {
  readonly kind: 'switch';
  readonly from: number;
  readonly to: number;
  /** True when an exception (kill, Timeout) was thrown into `to`. */
  readonly throw: boolean;
}

export interface BlockEvent extends EventBase {
  readonly kind: 'block';
  readonly g: number;
  readonly reason: BlockReason;
  /** Object id; for `join` a greenlet id; 0 when none. */
  readonly obj: number;
  /** Seconds, or null for no timeout. */
  readonly timeout: number | null;
  readonly site: Frame | null;
  readonly stack: readonly Frame[];
}

export interface ReadyEvent extends EventBase {
  readonly kind: 'ready';
  readonly g: number;
  readonly by: number;
}

export interface ExceptionEvent extends EventBase {
  readonly kind: 'exception';
  readonly g: number;
  readonly type: string;
  readonly message: string;
  readonly traceback: string;
}

export interface ExitFlags {
  readonly started: boolean;
  readonly ready: boolean;
  readonly successful: boolean;
  readonly killed: boolean;
}

export interface ExitEvent extends EventBase {
  readonly kind: 'exit';
  readonly g: number;
  readonly flags: ExitFlags;
  readonly value: string;
  readonly error: string;
}

/** A greenlet's name became known after its spawn record. */
export interface RenameEvent extends EventBase {
  readonly kind: 'rename';
  readonly g: number;
  readonly name: string;
}

export interface ObjectEvent extends EventBase {
  readonly kind: 'object';
  readonly obj: number;
  readonly okind: OKind;
  /** Queue maxsize or semaphore value; null when unbounded. */
  readonly capacity: number | null;
  readonly type: string;
  readonly site: Frame | null;
  readonly by: number;
}

export interface PutEvent extends EventBase {
  readonly kind: 'put';
  readonly obj: number;
  readonly item: string;
}

export interface GetEvent extends EventBase {
  readonly kind: 'get';
  readonly obj: number;
  readonly item: string;
}

export interface QSyncEvent extends EventBase {
  readonly kind: 'qsync';
  readonly obj: number;
  readonly items: readonly string[];
}

export interface SetEvent extends EventBase {
  readonly kind: 'set';
  readonly obj: number;
  readonly value: string;
}

export interface SetExcEvent extends EventBase {
  readonly kind: 'setexc';
  readonly obj: number;
  readonly error: string;
}

export interface ClearEvent extends EventBase {
  readonly kind: 'clear';
  readonly obj: number;
}

export interface AcquireEvent extends EventBase {
  readonly kind: 'acquire';
  readonly obj: number;
  readonly g: number;
}

export interface ReleaseEvent extends EventBase {
  readonly kind: 'release';
  readonly obj: number;
  readonly g: number;
}

export interface MarkEvent extends EventBase {
  readonly kind: 'mark';
  readonly label: string;
}

export interface ErrorEvent extends EventBase {
  readonly kind: 'error';
  readonly message: string;
}

export interface EndEvent extends EventBase {
  readonly kind: 'end';
  readonly code: number;
  readonly switches: number;
  readonly errors: number;
}

export type TraceEvent =
  | SpawnEvent
  | SwitchEvent
  | BlockEvent
  | ReadyEvent
  | ExceptionEvent
  | ExitEvent
  | RenameEvent
  | ObjectEvent
  | PutEvent
  | GetEvent
  | QSyncEvent
  | SetEvent
  | SetExcEvent
  | ClearEvent
  | AcquireEvent
  | ReleaseEvent
  | MarkEvent
  | ErrorEvent
  | EndEvent;

export type EventKind = TraceEvent['kind'];

/** All kinds in the order the format document lists them (for stable reports). */
export const EVENT_KINDS: readonly EventKind[] = [
  'spawn', 'switch', 'block', 'ready', 'exception', 'exit', 'rename', 'object', 'put', 'get',
  'qsync', 'set', 'setexc', 'clear', 'acquire', 'release', 'mark', 'error', 'end',
];

/** The JSON header at the start of a trace. */
export interface Header {
  readonly format: string;
  readonly version: readonly [number, number];
  readonly python: string;
  readonly implementation: string;
  readonly greenlet: string;
  readonly gevent: string | null;
  readonly loop: string | null;
  readonly compiled: boolean | null;
  readonly pid: number;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly startedAt: number;
  readonly clock: string;
  readonly t0: number;
  readonly reprLimit: number;
  readonly stackDepth: number;
  /**
   * Strings 1..internedStrings may be referenced at any time; a later one
   * only by the records up to and including the next event (null: any
   * string at any time, as in traces without the field).
   */
  readonly internedStrings: number | null;
}
