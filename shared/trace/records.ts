/**
 * Decoding of single records from a chunk payload, with the definition
 * tables (strings, frames, stacks) that later records refer to.
 *
 * A record is decoded into locals first and committed (table entry appended,
 * seq and clock advanced) only once all its fields were read, so a record cut
 * short by truncation leaves no trace in the decoder's state.
 */

import { ErrorCode, TraceError } from '../errors';
import { decodeEvent, decodeExtension } from './decode-events.generated';
import type { ExitFlags, Frame, TraceEvent } from './events';
import {
  BLOCK_REASONS, EXIT_FLAG_MEMBERS, FIRST_EXTENSION_TAG, GKIND_NAMES, OBSERVE_HOWS, OKIND_NAMES, TAGS,
  type BlockReason, type GKind, type OKind, type ObserveHow,
} from './schema';
import { ByteReader, OutOfData } from './varint';

const EMPTY_STACK: readonly Frame[] = Object.freeze([]);
const utf8 = new TextDecoder('utf-8');

/**
 * How the generated decoder (decode-events.generated.ts, from schema.ts)
 * reads the encodings that need the decoder's tables or a conversion.
 */
export interface FieldReader {
  s(r: ByteReader): string;
  f(r: ByteReader): Frame | null;
  k(r: ByteReader): readonly Frame[];
  strs(r: ByteReader): string[];
  gkind(r: ByteReader): GKind;
  reason(r: ByteReader): BlockReason;
  okind(r: ByteReader): OKind;
  how(r: ByteReader): ObserveHow;
  flags(r: ByteReader): ExitFlags;
  timeout(r: ByteReader): number | null;
  capacity(r: ByteReader): number | null;
}

export class RecordDecoder implements FieldReader {
  /** Index 0 is the empty string, as reference 0 means; the kept strings (ids up to `keptStrings`). */
  private readonly strings: string[] = [''];
  /** From the header's internedStrings: later strings are used by the next event only, then forgotten. */
  private keptStrings = Infinity;
  /** Strings past keptStrings defined since the last event, the first with id `recentBase`. */
  private recent: string[] = [];
  private recentBase = 0;
  /** Strings defined so far (the last one's id). */
  private stringCount = 0;
  private readonly frames: (Frame | null)[] = [null];
  private readonly stacks: (readonly Frame[])[] = [EMPTY_STACK];
  /** The seq the next event gets. */
  nextSeq = 0;
  /** Time of the previous event, microseconds since t0. */
  lastT = 0;

  /**
   * Decodes the record at r.pos. Returns the event, or null for definitions
   * and skipped extension records. Throws OutOfData if the record is cut
   * short, TraceError if it is invalid.
   */
  decode(r: ByteReader): TraceEvent | null {
    const start = r.pos;
    const tag = r.u8();
    if (tag >= FIRST_EXTENSION_TAG) return this.extension(r, tag, start);
    switch (tag) {
      case TAGS.T_STR: {
        const text = utf8.decode(r.take(r.u()));
        const id = ++this.stringCount;
        if (id <= this.keptStrings) {
          this.strings.push(text);
        } else {
          if (this.recent.length === 0) this.recentBase = id;
          this.recent.push(text);
        }
        return null;
      }
      case TAGS.T_FRAME: {
        const file = this.s(r);
        const line = r.u();
        const fn = this.s(r);
        this.frames.push({ file, line, function: fn });
        return null;
      }
      case TAGS.T_STACK: {
        const n = r.u();
        // Each frame ref takes at least a byte; checking first stops a huge
        // bogus count from allocating before running out of data.
        if (n > r.remaining) r.take(n);
        const stack: Frame[] = [];
        for (let i = 0; i < n; i++) stack.push(this.fRequired(r));
        this.stacks.push(Object.freeze(stack));
        return null;
      }
      default: {
        const t = this.lastT + r.u();
        const seq = this.nextSeq;
        const ev = decodeEvent(this, r, tag, seq, t);
        if (ev === undefined) {
          throw new TraceError(
            ErrorCode.BadRecord,
            `unknown record tag 0x${tag.toString(16).padStart(2, '0')} at byte ${r.base + start}`,
            r.base + start,
          );
        }
        this.nextSeq = seq + 1;
        this.lastT = t;
        if (this.recent.length > 0) this.recent = [];
        return ev;
      }
    }
  }

  /** The header's promise that strings past `n` are used once (docs/trace-format.md). */
  keepStringsUpTo(n: number | null): void {
    this.keptStrings = n ?? Infinity;
  }

  /**
   * An extension record: skipped unless this reader knows its tag; bytes
   * past the fields it knows (a later minor version's) are skipped too.
   */
  private extension(r: ByteReader, tag: number, start: number): TraceEvent | null {
    const length = r.u();
    if (length > r.remaining) r.take(length);
    const body = new ByteReader(r.bytes, r.base, r.pos, r.pos + length);
    let ev: TraceEvent | undefined;
    try {
      ev = decodeExtension(this, body, tag, this.nextSeq, this.lastT);
    } catch (err) {
      if (err instanceof OutOfData) {
        throw new TraceError(ErrorCode.BadRecord, `record 0x${tag.toString(16)} at byte ${r.base + start} is shorter than its fields`, r.base + start);
      }
      throw err;
    }
    r.pos += length;
    if (ev === undefined) return null;
    this.nextSeq++;
    return ev;
  }

  strs(r: ByteReader): string[] {
    const n = r.u();
    if (n > r.remaining) r.take(n);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(this.s(r));
    return items;
  }

  gkind(r: ByteReader): GKind {
    return enumValue(GKIND_NAMES, r.u(), 'greenlet kind', r);
  }

  reason(r: ByteReader): BlockReason {
    return enumValue(BLOCK_REASONS, r.u(), 'block reason', r);
  }

  okind(r: ByteReader): OKind {
    return enumValue(OKIND_NAMES, r.u(), 'object kind', r);
  }

  how(r: ByteReader): ObserveHow {
    return enumValue(OBSERVE_HOWS, r.u(), 'observation kind', r);
  }

  flags(r: ByteReader): ExitFlags {
    const bits = r.u();
    const flags: Record<string, boolean> = {};
    for (const m of EXIT_FLAG_MEMBERS) flags[m.name] = (bits & m.value) !== 0;
    return flags as unknown as ExitFlags;
  }

  timeout(r: ByteReader): number | null {
    const raw = r.u();
    return raw === 0 ? null : (raw - 1) / 1e6;
  }

  capacity(r: ByteReader): number | null {
    const raw = r.u();
    return raw === 0 ? null : raw - 1;
  }

  s(r: ByteReader): string {
    const at = r.pos;
    const ref = r.u();
    const v = ref <= this.keptStrings ? this.strings[ref] : this.recent[ref - this.recentBase];
    if (v !== undefined) return v;
    if (ref > this.keptStrings && ref <= this.stringCount) {
      throw new TraceError(
        ErrorCode.BadReference,
        `reference to string ${ref} at byte ${r.base + at}, defined before the previous event; the header says strings past ${this.keptStrings} are used by the next event only`,
        r.base + at,
      );
    }
    throw badRef('string', ref, this.stringCount, r.base + at);
  }

  f(r: ByteReader): Frame | null {
    const at = r.pos;
    const ref = r.u();
    const v = this.frames[ref];
    if (v === undefined) throw badRef('frame', ref, this.frames.length - 1, r.base + at);
    return v;
  }

  /** A frame inside a stack: "no frame" would leave a hole, so it is refused. */
  private fRequired(r: ByteReader): Frame {
    const at = r.pos;
    const frame = this.f(r);
    if (frame === null) throw new TraceError(ErrorCode.BadReference, `stack entry refers to frame 0 at byte ${r.base + at}`, r.base + at);
    return frame;
  }

  k(r: ByteReader): readonly Frame[] {
    const at = r.pos;
    const ref = r.u();
    const v = this.stacks[ref];
    if (v === undefined) throw badRef('stack', ref, this.stacks.length - 1, r.base + at);
    return v;
  }
}

function enumValue<T extends string>(names: readonly (T | undefined)[], code: number, what: string, r: ByteReader): T {
  const name = names[code];
  if (name === undefined) throw r.bad(`unknown ${what} ${code}`);
  return name;
}

function badRef(what: string, ref: number, defined: number, offset: number): TraceError {
  return new TraceError(
    ErrorCode.BadReference,
    `reference to ${what} ${ref} at byte ${offset}, but only ${defined} ${what}s are defined`,
    offset,
  );
}
