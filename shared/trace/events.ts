/**
 * The decoded form of trace records: exactly the JSON that `greenlet-lens cat`
 * prints. The event types are derived from schema.ts (field names, order and
 * what each encoding decodes to), so they cannot drift from the decoder.
 */

import type { BlockReason, EventKind, EXIT_FLAG_MEMBERS, EVENT_RECORDS, FieldSpec, GKind, ObserveHow, OKind, WireType } from './schema';

export type { BlockReason, EventKind, GKind, ObserveHow, OKind } from './schema';
export { EVENT_KINDS } from './schema';

export interface Frame {
  readonly file: string;
  readonly line: number;
  readonly function: string;
}

export type ExitFlags = { readonly [K in (typeof EXIT_FLAG_MEMBERS)[number]['name']]: boolean };

/** What each wire encoding decodes to (schema.ts WireType). */
interface WireValues {
  u: number;
  i: number;
  s: string;
  f: Frame | null;
  k: readonly Frame[];
  g: number;
  o: number;
  gkind: GKind;
  reason: BlockReason;
  okind: OKind;
  how: ObserveHow;
  flags: ExitFlags;
  /** Seconds, or null for no timeout. */
  timeout: number | null;
  /** null when unbounded. */
  capacity: number | null;
  strs: readonly string[];
}

type FieldValues<F extends readonly FieldSpec[]> = { readonly [E in F[number] as E[0]]: WireValues[E[1] & WireType] };
type ImpliedValues<R> = R extends { readonly implied: infer I } ? { readonly [K in keyof I]: boolean } : unknown;
type EventOf<R> = R extends { readonly kind: infer K; readonly fields: infer F extends readonly FieldSpec[] }
  ? { readonly seq: number; readonly t: number; readonly kind: K } & FieldValues<F> & ImpliedValues<R>
  : never;

/** Every decoded event: its `seq`, `t` (microseconds since the header's t0), `kind`, then its fields in schema order. */
export type TraceEvent = EventOf<(typeof EVENT_RECORDS)[number]>;
export type EventOfKind<K extends EventKind> = Extract<TraceEvent, { readonly kind: K }>;

export type SpawnEvent = EventOfKind<'spawn'>;
/** `throw`: true when an exception (kill, Timeout) was thrown into `to`. */
export type SwitchEvent = EventOfKind<'switch'>;
/** `obj`: object id; for `join` a greenlet id; 0 when none. */
export type BlockEvent = EventOfKind<'block'>;
export type ReadyEvent = EventOfKind<'ready'>;
export type ExceptionEvent = EventOfKind<'exception'>;
export type ExitEvent = EventOfKind<'exit'>;
/** A greenlet's name became known after its spawn record. */
export type RenameEvent = EventOfKind<'rename'>;
export type ObjectEvent = EventOfKind<'object'>;
export type PutEvent = EventOfKind<'put'>;
export type GetEvent = EventOfKind<'get'>;
export type QSyncEvent = EventOfKind<'qsync'>;
export type SetEvent = EventOfKind<'set'>;
export type SetExcEvent = EventOfKind<'setexc'>;
export type ClearEvent = EventOfKind<'clear'>;
export type AcquireEvent = EventOfKind<'acquire'>;
export type ReleaseEvent = EventOfKind<'release'>;
export type MarkEvent = EventOfKind<'mark'>;
export type ErrorEvent = EventOfKind<'error'>;
export type EndEvent = EventOfKind<'end'>;
/**
 * Since format 1.1: when gevent greenlet `g` ended, `by` (0: a callback, or
 * not known) was set to see it, `how`. Its `t` is the previous event's.
 */
export type ObservedEvent = EventOfKind<'observed'>;
/**
 * Since format 1.2: the program's name for object `obj` (the variable or
 * attribute its creation was assigned to), right after its `object` record.
 */
export type NamedEvent = EventOfKind<'named'>;

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
  /** The recorder that wrote the trace: "compiled", or "pure-python: <why>"; null in older traces. */
  readonly recorder: string | null;
  readonly pid: number;
  /**
   * A followed child's: its parent's pid and trace file name (null when the
   * parent was not recorded); null in the program's own trace.
   */
  readonly parentPid: number | null;
  readonly parentTrace: string | null;
  /** How a followed child was made: forked, or a new Python its parent started; null in the program's own trace. */
  readonly startedBy: 'fork' | 'spawn' | null;
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
