/**
 * Test-only trace encoder: builds valid trace bytes from events in their
 * JSON form, defining strings, frames and stacks on first use. Not product
 * code; the product only reads traces (the Python runtime writes them).
 */

import { crc32 } from '../../shared/trace/crc32';
import type { Frame, TraceEvent } from '../../shared/trace/events';
import {
  BLOCK_REASON_MEMBERS, CHUNK_MARKER, EVENT_RECORDS, EXIT_FLAG_MEMBERS, FORMAT_MAJOR, FORMAT_MINOR, GKINDS, MAGIC, OBSERVE_HOW_MEMBERS, OKINDS, TAGS,
  type EnumMember, type EventRecordSpec, type WireType,
} from '../../shared/trace/schema';
import { encodeIVarint, encodeUVarint } from '../../shared/trace/varint';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a test writes it: no seq, and t optional (default: previous + 1). */
export type EventInput = DistributiveOmit<TraceEvent, 'seq' | 't'> & { t?: number };

export interface BuilderOptions {
  major?: number;
  minor?: number;
  header?: Record<string, unknown>;
}

export function defaultHeader(major = FORMAT_MAJOR, minor = FORMAT_MINOR): Record<string, unknown> {
  return {
    format: 'greenlet-lens-trace', version: [major, minor], python: '3.12.0', implementation: 'cpython',
    greenlet: '3.0.3', gevent: '24.2.1', loop: 'libev-cext', compiled: true, recorder: 'compiled', pid: 4242,
    argv: ['demo.py'], cwd: '/tmp', startedAt: 1700000000.5, clock: 'monotonic-us', t0: 1000,
    reprLimit: 200, stackDepth: 16, internedStrings: null,
  };
}

export class TraceBuilder {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private readonly strings = new Map<string, number>();
  private readonly frames = new Map<string, number>();
  private readonly stacks = new Map<string, number>();
  private lastT = 0;
  private readonly preamble: Uint8Array;

  constructor(options: BuilderOptions = {}) {
    const major = options.major ?? FORMAT_MAJOR;
    const minor = options.minor ?? FORMAT_MINOR;
    const json = new TextEncoder().encode(JSON.stringify(options.header ?? defaultHeader(major, minor)));
    this.preamble = new Uint8Array(16 + json.length + 4);
    this.preamble.set(MAGIC, 0);
    const view = new DataView(this.preamble.buffer);
    view.setUint16(8, major, true);
    view.setUint16(10, minor, true);
    view.setUint32(12, json.length, true);
    this.preamble.set(json, 16);
    view.setUint32(16 + json.length, crc32(json), true);
  }

  /** Appends raw record bytes to the current chunk (for malformed-record tests). */
  raw(bytes: readonly number[]): this {
    this.pending.push(...bytes);
    return this;
  }

  add(...events: EventInput[]): this {
    for (const ev of events) this.encode(ev);
    return this;
  }

  /** Closes the current chunk (a runtime flush). Empty chunks are allowed. */
  flush(): this {
    this.chunks.push(chunk(this.pending));
    this.pending = [];
    return this;
  }

  /** The whole trace; an unflushed chunk is flushed first. */
  bytes(): Uint8Array {
    if (this.pending.length > 0) this.flush();
    const total = this.preamble.length + this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    out.set(this.preamble, 0);
    let at = this.preamble.length;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private s(text: string): number {
    if (text === '') return 0;
    let ref = this.strings.get(text);
    if (ref === undefined) {
      const utf8 = new TextEncoder().encode(text);
      this.pending.push(TAGS.T_STR);
      encodeUVarint(utf8.length, this.pending);
      this.pending.push(...utf8);
      ref = this.strings.size + 1;
      this.strings.set(text, ref);
    }
    return ref;
  }

  private f(frame: Frame | null): number {
    if (frame === null) return 0;
    const key = JSON.stringify(frame);
    let ref = this.frames.get(key);
    if (ref === undefined) {
      const file = this.s(frame.file), fn = this.s(frame.function);
      this.pending.push(TAGS.T_FRAME);
      for (const v of [file, frame.line, fn]) encodeUVarint(v, this.pending);
      ref = this.frames.size + 1;
      this.frames.set(key, ref);
    }
    return ref;
  }

  private k(stack: readonly Frame[]): number {
    if (stack.length === 0) return 0;
    const key = JSON.stringify(stack);
    let ref = this.stacks.get(key);
    if (ref === undefined) {
      const refs = stack.map((fr) => this.f(fr));
      this.pending.push(TAGS.T_STACK);
      encodeUVarint(refs.length, this.pending);
      for (const r of refs) encodeUVarint(r, this.pending);
      ref = this.stacks.size + 1;
      this.stacks.set(key, ref);
    }
    return ref;
  }

  private encode(ev: EventInput): void {
    // Definitions must precede the event record, so refs are resolved first.
    const [spec, fields] = this.fieldsOf(ev);
    const body: number[] = [];
    for (const v of fields) {
      if (typeof v === 'object') encodeIVarint(v.signed, body);
      else encodeUVarint(v, body);
    }
    this.pending.push(spec.tag);
    if (spec.extension === true) {
      // An extension record: its length instead of a dt; it keeps the previous event's time.
      encodeUVarint(body.length, this.pending);
    } else {
      const t = ev.t ?? this.lastT + 1;
      encodeUVarint(t - this.lastT, this.pending);
      this.lastT = t;
    }
    this.pending.push(...body);
  }

  /** The record's tag and its field values, encoded by the schema (definitions are written on the way). */
  private fieldsOf(ev: EventInput): [EventRecordSpec, (number | { signed: number })[]] {
    const record = ev as unknown as Readonly<Record<string, unknown>>;
    // One kind may have several tags (switch/throw): the one whose implied fields match.
    const spec: EventRecordSpec = EVENT_RECORDS.find((r: EventRecordSpec) =>
      r.kind === ev.kind && Object.entries(r.implied ?? {}).every(([name, value]) => record[name] === value))!;
    const out: (number | { signed: number })[] = [];
    for (const [name, wire] of spec.fields) this.field(wire, record[name], out);
    return [spec, out];
  }

  private field(wire: WireType, value: unknown, out: (number | { signed: number })[]): void {
    switch (wire) {
      case 'u': case 'g': case 'o': out.push(value as number); return;
      case 'i': out.push({ signed: value as number }); return;
      case 's': out.push(this.s(value as string)); return;
      case 'f': out.push(this.f(value as Frame | null)); return;
      case 'k': out.push(this.k(value as readonly Frame[])); return;
      case 'gkind': out.push(enumValue(GKINDS, value)); return;
      case 'reason': out.push(enumValue(BLOCK_REASON_MEMBERS, value)); return;
      case 'okind': out.push(enumValue(OKINDS, value)); return;
      case 'how': out.push(enumValue(OBSERVE_HOW_MEMBERS, value)); return;
      case 'flags': {
        const flags = value as Readonly<Record<string, boolean>>;
        out.push(EXIT_FLAG_MEMBERS.reduce((bits, m) => (flags[m.name] ? bits | m.value : bits), 0));
        return;
      }
      case 'timeout': out.push(value === null ? 0 : Math.round((value as number) * 1e6) + 1); return;
      case 'capacity': out.push(value === null ? 0 : (value as number) + 1); return;
      case 'strs': {
        const items = value as readonly string[];
        out.push(items.length, ...items.map((i) => this.s(i)));
        return;
      }
    }
  }
}

function enumValue(members: readonly EnumMember[], name: unknown): number {
  const m = members.find((x) => x.name === name);
  if (m === undefined) throw new Error(`trace-builder: no enum member ${String(name)}`);
  return m.value;
}

/** Frames a payload as a chunk: marker, length, CRC, payload. */
export function chunk(payload: readonly number[] | Uint8Array): Uint8Array {
  const body = Uint8Array.from(payload);
  const out = new Uint8Array(9 + body.length);
  const view = new DataView(out.buffer);
  out[0] = CHUNK_MARKER;
  view.setUint32(1, body.length, true);
  view.setUint32(5, crc32(body), true);
  out.set(body, 9);
  return out;
}
