/**
 * Compact storage for decoded events. A million event objects would cost
 * hundreds of MB of JS heap; here each event is a kind byte, a time and a
 * few float64 fields in growable typed arrays (about 40 bytes on average),
 * with strings, frames and stacks interned. Events are rebuilt on demand.
 */

import type { Frame, TraceEvent } from '../trace/events';
import {
  BLOCK_REASONS, EVENT_KINDS, EXIT_FLAG_MEMBERS, GKIND_NAMES, OBSERVE_HOWS, OKIND_NAMES, fieldsOf, type EventKind, type WireType,
} from '../trace/schema';

/** How a field is kept: a number in the pool, an interned id, or (strs) a count and that many ids. */
type FieldType = 'int' | 'str' | 'frame' | 'stack' | 'bool' | 'num?' | 'flags' | 'strs' | 'gkind' | 'reason' | 'okind' | 'how';
type Layout = readonly (readonly [string, FieldType])[];

const STORAGE: Readonly<Record<WireType | 'bool', FieldType>> = {
  u: 'int', i: 'int', g: 'int', o: 'int', s: 'str', f: 'frame', k: 'stack', gkind: 'gkind', reason: 'reason', okind: 'okind', how: 'how',
  flags: 'flags', timeout: 'num?', capacity: 'num?', strs: 'strs', bool: 'bool',
};

/** Per kind (by its index in EVENT_KINDS), the schema's fields in JSON order, so rebuilt events print identically. */
const LAYOUTS: readonly Layout[] = EVENT_KINDS.map((kind) => fieldsOf(kind).map(([name, wire]) => [name, STORAGE[wire]] as const));

const KIND_INDEX = new Map<EventKind, number>(EVENT_KINDS.map((k, i) => [k, i]));

export class EventLog {
  private count = 0;
  private kinds = new Uint8Array(1024);
  private times = new Float64Array(1024);
  private starts = new Uint32Array(1024);
  private pool = new Float64Array(4096);
  private poolLength = 0;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** Index 0 stands for "no frame". */
  private readonly frames: (Frame | null)[] = [null];
  private readonly frameIds = new WeakMap<Frame, number>();
  private readonly frameKeys = new Map<string, number>();
  private readonly stacks: (readonly Frame[])[] = [];
  private readonly stackIds = new WeakMap<readonly Frame[], number>();
  private readonly stackKeys = new Map<string, number>();
  private readonly perKind = new Array<number>(EVENT_KINDS.length).fill(0);

  get length(): number {
    return this.count;
  }

  /** Appends the next event; its seq must equal the current length. */
  append(ev: TraceEvent): void {
    if (ev.seq !== this.count) throw new RangeError(`EventLog expects seq ${this.count}, got ${ev.seq}`);
    const kind = KIND_INDEX.get(ev.kind)!;
    this.reserveEvents();
    this.kinds[this.count] = kind;
    this.times[this.count] = ev.t;
    this.starts[this.count] = this.poolLength;
    const record = ev as unknown as Readonly<Record<string, unknown>>;
    for (const [name, type] of LAYOUTS[kind]!) this.encodeField(type, record[name]);
    this.perKind[kind]!++;
    this.count++;
  }

  /** Rebuilds event `seq` as a fresh object. */
  get(seq: number): TraceEvent {
    if (!(seq >= 0 && seq < this.count)) throw new RangeError(`no event ${seq} (log holds ${this.count})`);
    const index = this.kinds[seq]!;
    const ev: Record<string, unknown> = { seq, t: this.times[seq]!, kind: EVENT_KINDS[index]! };
    let at = this.starts[seq]!;
    for (const [name, type] of LAYOUTS[index]!) {
      const [value, next] = this.decodeField(type, at);
      ev[name] = value;
      at = next;
    }
    return ev as unknown as TraceEvent;
  }

  kindAt(seq: number): EventKind {
    return EVENT_KINDS[this.kinds[seq]!]!;
  }

  timeAt(seq: number): number {
    return this.times[seq]!;
  }

  countByKind(): Record<EventKind, number> {
    const out = {} as Record<EventKind, number>;
    EVENT_KINDS.forEach((k, i) => (out[k] = this.perKind[i]!));
    return out;
  }

  private encodeField(type: FieldType, value: unknown): void {
    switch (type) {
      case 'int': return this.put(value as number);
      case 'num?': return this.put(value === null ? NaN : (value as number));
      case 'bool': return this.put(value ? 1 : 0);
      case 'str': return this.put(this.internString(value as string));
      case 'frame': return this.put(this.internFrame(value as Frame | null));
      case 'stack': return this.put(this.internStack(value as readonly Frame[]));
      case 'gkind': return this.put(GKIND_NAMES.indexOf(value as (typeof GKIND_NAMES)[number]));
      case 'reason': return this.put(BLOCK_REASONS.indexOf(value as (typeof BLOCK_REASONS)[number]));
      case 'okind': return this.put(OKIND_NAMES.indexOf(value as (typeof OKIND_NAMES)[number]));
      case 'how': return this.put(OBSERVE_HOWS.indexOf(value as (typeof OBSERVE_HOWS)[number]));
      case 'flags': {
        const flags = value as Readonly<Record<string, boolean>>;
        return this.put(EXIT_FLAG_MEMBERS.reduce((bits, m) => (flags[m.name] ? bits | m.value : bits), 0));
      }
      case 'strs': {
        const items = value as readonly string[];
        this.put(items.length);
        for (const item of items) this.put(this.internString(item));
        return;
      }
    }
  }

  private decodeField(type: FieldType, at: number): [unknown, number] {
    const v = this.pool[at]!;
    switch (type) {
      case 'int': return [v, at + 1];
      case 'num?': return [Number.isNaN(v) ? null : v, at + 1];
      case 'bool': return [v === 1, at + 1];
      case 'str': return [this.strings[v]!, at + 1];
      case 'frame': return [this.frames[v]!, at + 1];
      case 'stack': return [this.stacks[v]!, at + 1];
      case 'gkind': return [GKIND_NAMES[v]!, at + 1];
      case 'reason': return [BLOCK_REASONS[v]!, at + 1];
      case 'okind': return [OKIND_NAMES[v]!, at + 1];
      case 'how': return [OBSERVE_HOWS[v]!, at + 1];
      case 'flags': {
        const flags: Record<string, boolean> = {};
        for (const m of EXIT_FLAG_MEMBERS) flags[m.name] = (v & m.value) !== 0;
        return [flags, at + 1];
      }
      case 'strs': {
        const items: string[] = [];
        for (let i = 0; i < v; i++) items.push(this.strings[this.pool[at + 1 + i]!]!);
        return [items, at + 1 + v];
      }
    }
  }

  private put(v: number): void {
    if (this.poolLength === this.pool.length) {
      const bigger = new Float64Array(this.pool.length * 2);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    this.pool[this.poolLength++] = v;
  }

  private reserveEvents(): void {
    if (this.count < this.kinds.length) return;
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size), times = new Float64Array(size), starts = new Uint32Array(size);
    kinds.set(this.kinds);
    times.set(this.times);
    starts.set(this.starts);
    this.kinds = kinds;
    this.times = times;
    this.starts = starts;
  }

  private internString(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /**
   * Frames from one decoder are shared objects, so identity finds them
   * cheaply; the key map catches equal frames that arrived as separate
   * objects (e.g. events parsed from JSON).
   */
  private internFrame(frame: Frame | null): number {
    if (frame === null) return 0;
    let id = this.frameIds.get(frame);
    if (id !== undefined) return id;
    const key = `${frame.line}\u0000${frame.file}\u0000${frame.function}`;
    id = this.frameKeys.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push(frame);
      this.frameKeys.set(key, id);
    }
    this.frameIds.set(frame, id);
    return id;
  }

  private internStack(stack: readonly Frame[]): number {
    let id = this.stackIds.get(stack);
    if (id !== undefined) return id;
    const key = stack.map((f) => this.internFrame(f)).join(',');
    id = this.stackKeys.get(key);
    if (id === undefined) {
      id = this.stacks.length;
      this.stacks.push(stack.map((f) => this.frames[this.internFrame(f)]!));
      this.stackKeys.set(key, id);
    }
    this.stackIds.set(stack, id);
    return id;
  }
}
