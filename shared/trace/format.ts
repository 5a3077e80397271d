/**
 * Constants of the binary trace format, version 1.1 (docs/trace-format.md).
 * The enum name tables are indexed by the wire value, so decoding an enum is
 * a bounds-checked array lookup.
 */

/** "\x89GLT\r\n\x1a\n": the high byte and CR/LF/^Z catch text-mode mangling. */
export const MAGIC: readonly number[] = [0x89, 0x47, 0x4c, 0x54, 0x0d, 0x0a, 0x1a, 0x0a];

export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 1;
export const HEADER_FORMAT_NAME = 'greenlet-lens-trace';

/** magic (8) + major (2) + minor (2) + header length (4). */
export const PREAMBLE_SIZE = 16;
/** marker (1) + payload length (4) + crc32 (4). */
export const CHUNK_HEADER_SIZE = 9;
export const CHUNK_MARKER = 0xc5;

/**
 * Sizes above these are treated as corruption rather than waited for: the
 * runtime flushes at 64 KiB, so a multi-hundred-MiB chunk means a flipped
 * length byte, and waiting for it would buffer the rest of the file for nothing.
 */
export const MAX_HEADER_SIZE = 16 * 1024 * 1024;
export const MAX_CHUNK_SIZE = 256 * 1024 * 1024;

export enum Tag {
  Str = 0x01,
  Frame = 0x02,
  Stack = 0x03,
  Spawn = 0x10,
  Switch = 0x11,
  SwitchThrow = 0x12,
  Block = 0x13,
  Ready = 0x14,
  Exception = 0x15,
  Exit = 0x16,
  Rename = 0x17,
  Object = 0x20,
  Put = 0x21,
  Get = 0x22,
  QSync = 0x23,
  Set = 0x24,
  SetExc = 0x25,
  Clear = 0x26,
  Acquire = 0x27,
  Release = 0x28,
  Mark = 0x30,
  Error = 0x3e,
  End = 0x3f,
  /** Tags from here up are extension records: `u` length + bytes, skipped unless known. */
  FirstExtension = 0x80,
  /** Since 1.1: who is set to see a gevent greenlet's end (an extension record, so 1.0 readers skip it). */
  Observed = 0xa0,
}

export const GKIND_NAMES = ['main', 'hub', 'gevent', 'greenlet'] as const;
export type GKind = (typeof GKIND_NAMES)[number];

export const BLOCK_REASONS = [
  'other',
  'sleep',
  'queue_get',
  'queue_put',
  'event_wait',
  'result_get',
  'join',
  'lock_acquire',
  'io',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

/** Index 0 is unused on the wire; okind values start at 1. */
export const OKIND_NAMES = [
  '',
  'Queue',
  'LifoQueue',
  'PriorityQueue',
  'JoinableQueue',
  'Channel',
  'Event',
  'AsyncResult',
  'Semaphore',
  'BoundedSemaphore',
  'Lock',
  'RLock',
  'SimpleQueue',
] as const;
export type OKind = Exclude<(typeof OKIND_NAMES)[number], ''>;

/**
 * How an `observed` record says a greenlet's end is seen (index = wire value):
 * a greenlet waiting for it (join, get, joinall), a callback given it
 * (link, link_exception, rawlink, an AsyncResult), a callback run only when
 * it succeeds (link_value), links the runtime cannot tell apart (gevent's
 * compiled build hides them), or the program still holding it (it may read
 * it later, which leaves no trace).
 */
export const OBSERVE_HOWS = ['join', 'link', 'link_value', 'unknown', 'held'] as const;
export type ObserveHow = (typeof OBSERVE_HOWS)[number];

export const EXIT_FLAG_STARTED = 1;
export const EXIT_FLAG_READY = 2;
export const EXIT_FLAG_SUCCESSFUL = 4;
export const EXIT_FLAG_KILLED = 8;
