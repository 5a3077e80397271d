/**
 * The trace format's one schema (docs/trace-format.md): the file's
 * constants, every record's tag and ordered fields with their wire
 * encodings, and every enum, each with the words the format document uses.
 *
 * Driven by it: the decoder (records.ts), the decoded event types
 * (events.ts), the model's compact storage (model/event-log.ts), the test
 * encoder, the fuzz test's tags and the Perfetto export's kinds. Generated
 * from it by `node scripts/gen-schema.mjs`: the Python runtime's constants
 * (runtime-instrumentation/greenlet_lens/_schema.py), a C header for a
 * compiled recorder (_schema.h) and the tables of docs/trace-format.md;
 * test/unit/schema.test.ts fails when any of those is stale. Adding an event
 * kind is a row in EVENT_RECORDS plus its handling (the compiler lists every
 * switch over kinds that misses it).
 */

/** "\x89GLT\r\n\x1a\n": the high byte and CR/LF/^Z catch text-mode mangling. */
export const MAGIC: readonly number[] = [0x89, 0x47, 0x4c, 0x54, 0x0d, 0x0a, 0x1a, 0x0a];
export const FORMAT_MAJOR = 1;
/** 1.1 added the `observed` extension record, 1.2 the `named` one; older readers skip both. */
export const FORMAT_MINOR = 2;
export const HEADER_FORMAT_NAME = 'greenlet-lens-trace';
export const CHUNK_MARKER = 0xc5;
/** Tags from here up are extension records: `u` length + bytes, skipped by readers that do not know them. */
export const FIRST_EXTENSION_TAG = 0x80;

/**
 * How a field is encoded, and what it decodes to:
 * u: unsigned LEB128; i: zigzag then u; s/f/k: string/frame/stack reference
 * (0: empty/none); g/o: greenlet/object id (0: none); gkind/reason/okind: an
 * enum value as u; flags: exit flag bits as u; timeout: u, 0 none, else
 * microseconds + 1 (decoded to seconds or null); capacity: u, 0 unbounded,
 * else n + 1 (decoded to n or null); strs: u count, then that many s;
 * how: an enum value as u.
 */
export type WireType =
  | 'u' | 'i' | 's' | 'f' | 'k' | 'g' | 'o'
  | 'gkind' | 'reason' | 'okind' | 'how' | 'flags' | 'timeout' | 'capacity' | 'strs';

/** One enum member: its wire value, its name in JSON, its constant in Python and C, what it means. */
export interface EnumMember<N extends string = string> {
  readonly value: number;
  readonly name: N;
  readonly constant: string;
  readonly doc?: string;
}

export const GKINDS = [
  { value: 0, name: 'main', constant: 'G_MAIN' },
  { value: 1, name: 'hub', constant: 'G_HUB' },
  { value: 2, name: 'gevent', constant: 'G_GEVENT', doc: 'a `gevent.Greenlet`' },
  { value: 3, name: 'greenlet', constant: 'G_GREENLET', doc: 'a plain greenlet' },
] as const satisfies readonly EnumMember[];

export const BLOCK_REASON_MEMBERS = [
  { value: 0, name: 'other', constant: 'R_OTHER' },
  { value: 1, name: 'sleep', constant: 'R_SLEEP' },
  { value: 2, name: 'queue_get', constant: 'R_QGET' },
  { value: 3, name: 'queue_put', constant: 'R_QPUT' },
  { value: 4, name: 'event_wait', constant: 'R_EVENT' },
  { value: 5, name: 'result_get', constant: 'R_RESULT' },
  { value: 6, name: 'join', constant: 'R_JOIN' },
  { value: 7, name: 'lock_acquire', constant: 'R_LOCK' },
  { value: 8, name: 'io', constant: 'R_IO' },
] as const satisfies readonly EnumMember[];

export const OKINDS = [
  { value: 1, name: 'Queue', constant: 'O_QUEUE' },
  { value: 2, name: 'LifoQueue', constant: 'O_LIFO' },
  { value: 3, name: 'PriorityQueue', constant: 'O_PRIORITY' },
  { value: 4, name: 'JoinableQueue', constant: 'O_JOINABLE' },
  { value: 5, name: 'Channel', constant: 'O_CHANNEL' },
  { value: 6, name: 'Event', constant: 'O_EVENT' },
  { value: 7, name: 'AsyncResult', constant: 'O_RESULT' },
  { value: 8, name: 'Semaphore', constant: 'O_SEMAPHORE' },
  { value: 9, name: 'BoundedSemaphore', constant: 'O_BOUNDED' },
  { value: 10, name: 'Lock', constant: 'O_LOCK' },
  { value: 11, name: 'RLock', constant: 'O_RLOCK' },
  { value: 12, name: 'SimpleQueue', constant: 'O_SIMPLE' },
] as const satisfies readonly EnumMember[];

/**
 * How an `observed` record says a greenlet's end is seen: a greenlet waiting
 * for it, a callback given it, a callback run only when it succeeds, links
 * the runtime cannot tell apart (gevent's compiled build hides them), or the
 * program still holding it (it may read it later, which leaves no trace).
 */
export const OBSERVE_HOW_MEMBERS = [
  { value: 0, name: 'join', constant: 'HOW_JOIN', doc: 'a greenlet waits for it: `join`, `get`, `joinall`' },
  { value: 1, name: 'link', constant: 'HOW_LINK', doc: '`link`, `link_exception`, `rawlink`, an `AsyncResult`' },
  { value: 2, name: 'link_value', constant: 'HOW_LINK_VALUE', doc: 'a callback run only when it succeeds' },
  { value: 3, name: 'unknown', constant: 'HOW_UNKNOWN', doc: "links gevent's compiled build hides" },
  { value: 4, name: 'held', constant: 'HOW_HELD', doc: 'the program still holds it' },
] as const satisfies readonly EnumMember[];

/** Exit flag bits: `value` is the bit. */
export const EXIT_FLAG_MEMBERS = [
  { value: 1, name: 'started', constant: 'EXIT_STARTED' },
  { value: 2, name: 'ready', constant: 'EXIT_READY', doc: '`ready()`' },
  { value: 4, name: 'successful', constant: 'EXIT_SUCCESSFUL', doc: '`successful()`' },
  { value: 8, name: 'killed', constant: 'EXIT_KILLED', doc: 'the value is a `GreenletExit`: gevent reports a killed greenlet as successful' },
] as const satisfies readonly EnumMember[];

export type GKind = (typeof GKINDS)[number]['name'];
export type BlockReason = (typeof BLOCK_REASON_MEMBERS)[number]['name'];
export type OKind = (typeof OKINDS)[number]['name'];
export type ExitFlagName = (typeof EXIT_FLAG_MEMBERS)[number]['name'];
export type ObserveHow = (typeof OBSERVE_HOW_MEMBERS)[number]['name'];

/** Names indexed by wire value (holes where no member has that value), for bounds-checked decoding. */
function byValue<N extends string>(members: readonly EnumMember<N>[]): readonly (N | undefined)[] {
  const out: (N | undefined)[] = [];
  for (const m of members) out[m.value] = m.name;
  return out;
}

export const GKIND_NAMES = byValue<GKind>(GKINDS) as readonly GKind[];
export const BLOCK_REASONS = byValue<BlockReason>(BLOCK_REASON_MEMBERS) as readonly BlockReason[];
/** Index 0 is unused on the wire; okind values start at 1. */
export const OKIND_NAMES = byValue<OKind>(OKINDS);
export const OBSERVE_HOWS = byValue<ObserveHow>(OBSERVE_HOW_MEMBERS) as readonly ObserveHow[];
export const EXIT_FLAG_NAMES: readonly ExitFlagName[] = EXIT_FLAG_MEMBERS.map((m) => m.name);

/** A field: its JSON name, its encoding, and what it means when the encoding alone does not say. */
export type FieldSpec = readonly [name: string, wire: WireType, doc?: string];

export interface RecordSpec {
  readonly tag: number;
  readonly constant: string;
  readonly doc?: string;
}

export interface EventRecordSpec extends RecordSpec {
  readonly kind: string;
  readonly fields: readonly FieldSpec[];
  /** Boolean fields the tag itself carries (one kind written with two tags). */
  readonly implied?: Readonly<Record<string, boolean>>;
  /**
   * An extension record (tag >= FIRST_EXTENSION_TAG): `u` length instead of
   * dt, then its fields; bytes past them (a later minor version's) are
   * skipped. It has no time of its own: `t` is the previous event's.
   */
  readonly extension?: true;
}

/**
 * Definition records: no time, no seq; each defines the next id of its
 * table. Their bodies are read by hand in records.ts (a STR is raw bytes).
 */
export const DEFINITION_RECORDS = [
  { tag: 0x01, constant: 'T_STR', name: 'STR', body: '`u` length, then that many bytes of UTF-8', defines: 'the next string id' },
  { tag: 0x02, constant: 'T_FRAME', name: 'FRAME', body: '`s` file, `u` line, `s` function', defines: 'the next frame id' },
  { tag: 0x03, constant: 'T_STACK', name: 'STACK', body: '`u` n, then n × `f`, innermost first', defines: 'the next stack id' },
] as const;

/**
 * Event records in the order of EVENT_KINDS (the format document's order).
 * Every event also has `seq` and `t`; `dt` follows the tag on the wire.
 */
export const EVENT_RECORDS = [
  {
    tag: 0x10, constant: 'T_SPAWN', kind: 'spawn',
    fields: [
      ['g', 'g'], ['parent', 'g', 'the greenlet that spawned it, 0 unknown'], ['gkind', 'gkind'],
      ['name', 's', 'a name the program gave it, else empty'], ['func', 's', 'qualified name of what it runs'],
      ['site', 'f', 'where user code spawned it'], ['stack', 'k', 'spawn stack'],
    ],
  },
  {
    tag: 0x11, constant: 'T_SWITCH', kind: 'switch', implied: { throw: false },
    fields: [['from', 'g'], ['to', 'g']],
  },
  {
    tag: 0x12, constant: 'T_THROW', kind: 'switch', implied: { throw: true },
    doc: 'an exception (kill, `Timeout`) was thrown into `to`',
    fields: [['from', 'g'], ['to', 'g']],
  },
  {
    tag: 0x13, constant: 'T_BLOCK', kind: 'block',
    fields: [
      ['g', 'g'], ['reason', 'reason'], ['obj', 'o', 'for `join`, a greenlet id'],
      ['timeout', 'timeout', 'JSON gives seconds or null'], ['site', 'f', 'where user code waits'], ['stack', 'k'],
    ],
  },
  {
    tag: 0x14, constant: 'T_READY', kind: 'ready',
    fields: [['g', 'g'], ['by', 'g', 'who made it runnable; 0 or the hub when the loop woke it']],
  },
  {
    tag: 0x15, constant: 'T_EXCEPTION', kind: 'exception',
    fields: [['g', 'g'], ['type', 's', 'qualified type name'], ['message', 's'], ['traceback', 's', 'formatted, without source lines']],
  },
  {
    tag: 0x16, constant: 'T_EXIT', kind: 'exit',
    fields: [['g', 'g'], ['flags', 'flags'], ['value', 's', 'repr of `value`'], ['error', 's', 'repr of `exception`']],
  },
  {
    tag: 0x17, constant: 'T_RENAME', kind: 'rename',
    doc: 'the program gave a gevent greenlet a name after spawning it (`g.name = …`), seen when it first runs or exits; ' +
      'for a plain greenlet, whose `run` is gone once it starts, the function it runs, learnt the first time it switches out',
    fields: [['g', 'g'], ['name', 's']],
  },
  {
    tag: 0x20, constant: 'T_OBJECT', kind: 'object',
    fields: [
      ['obj', 'o'], ['okind', 'okind'], ['capacity', 'capacity', 'queue maxsize or semaphore value'],
      ['type', 's', 'class name'], ['site', 'f', 'where created'], ['by', 'g'],
    ],
  },
  {
    tag: 0x21, constant: 'T_PUT', kind: 'put', doc: 'the item joins the queue',
    fields: [['obj', 'o'], ['item', 's', 'repr']],
  },
  {
    tag: 0x22, constant: 'T_GET', kind: 'get',
    doc: 'that item leaves the queue (the head of a FIFO queue, the tail of a LIFO one, the smallest of a priority queue)',
    fields: [['obj', 'o'], ['item', 's', 'repr']],
  },
  {
    tag: 0x23, constant: 'T_QSYNC', kind: 'qsync', doc: "the queue's whole contents in its order, replacing what the model held",
    fields: [['obj', 'o'], ['items', 'strs']],
  },
  {
    tag: 0x24, constant: 'T_SET', kind: 'set', doc: 'Event set, or AsyncResult set with a value',
    fields: [['obj', 'o'], ['value', 's', 'repr; empty for an Event']],
  },
  {
    tag: 0x25, constant: 'T_SETEXC', kind: 'setexc', doc: 'AsyncResult set with an exception',
    fields: [['obj', 'o'], ['error', 's']],
  },
  { tag: 0x26, constant: 'T_CLEAR', kind: 'clear', doc: 'Event cleared', fields: [['obj', 'o']] },
  {
    tag: 0x27, constant: 'T_ACQUIRE', kind: 'acquire', doc: 'the lock or semaphore was acquired by `g`',
    fields: [['obj', 'o'], ['g', 'g']],
  },
  {
    tag: 0x28, constant: 'T_RELEASE', kind: 'release',
    doc: 'released by `g`; when `g` holds none of it (a semaphore released on another\'s behalf) the oldest acquisition ends',
    fields: [['obj', 'o'], ['g', 'g']],
  },
  {
    tag: 0x30, constant: 'T_MARK', kind: 'mark', doc: 'a point the program marked with `greenlet_lens.mark(label)`',
    fields: [['label', 's']],
  },
  {
    tag: 0x3e, constant: 'T_ERROR', kind: 'error', doc: 'the runtime could not observe something (a hook failed); never hidden',
    fields: [['message', 's']],
  },
  {
    tag: 0x3f, constant: 'T_END', kind: 'end',
    fields: [['code', 'i', "the program's exit code"], ['switches', 'u', 'switches the tracer saw'], ['errors', 'u', '`error` records written']],
  },
  {
    tag: 0xa0, constant: 'T_OBSERVED', kind: 'observed', extension: true,
    doc: "since 1.1: when gevent greenlet `g` ended, `by` was set to see its end, `how`",
    fields: [['g', 'g'], ['by', 'g', 'the greenlet; 0 a callback, or not known'], ['how', 'how', 'below']],
  },
  {
    tag: 0xa1, constant: 'T_NAMED', kind: 'named', extension: true,
    doc: "since 1.2: right after object `obj`'s `object` record, the program's name for it: the variable or attribute " +
      'its creation was assigned to (`tasks` for `tasks = Queue(3)`, `self.done` for `self.done = Event()`)',
    fields: [['obj', 'o'], ['name', 's']],
  },
] as const satisfies readonly EventRecordSpec[];

export type EventKind = (typeof EVENT_RECORDS)[number]['kind'];

/** Every kind once, in the format document's order (for stable reports and compact storage). */
export const EVENT_KINDS: readonly EventKind[] = [...new Set(EVENT_RECORDS.map((r) => r.kind))];

/** The record of each tag (definitions excluded), indexed by tag. */
export const EVENT_RECORD_BY_TAG: readonly (EventRecordSpec | undefined)[] = (() => {
  const out: (EventRecordSpec | undefined)[] = [];
  for (const r of EVENT_RECORDS) out[r.tag] = r;
  return out;
})();

/** Every record tag by its constant's name (T_SPAWN → 0x10), definitions included. */
export const TAGS: Readonly<Record<(typeof DEFINITION_RECORDS)[number]['constant'] | (typeof EVENT_RECORDS)[number]['constant'], number>> =
  Object.fromEntries([...DEFINITION_RECORDS, ...EVENT_RECORDS].map((r) => [r.constant, r.tag])) as never;

/** The fields an event of `kind` has in JSON, in order (the tag's implied booleans last). */
export function fieldsOf(kind: EventKind): readonly (readonly [string, WireType | 'bool'])[] {
  const r = EVENT_RECORDS.find((x) => x.kind === kind)!;
  const implied = 'implied' in r ? Object.keys(r.implied).map((name) => [name, 'bool'] as const) : [];
  return [...r.fields.map(([name, wire]) => [name, wire] as const), ...implied];
}
