/**
 * Decoding of single records from a chunk payload, with the definition
 * tables (strings, frames, stacks) that later records refer to.
 *
 * A record is decoded into locals first and committed (table entry appended,
 * seq and clock advanced) only once all its fields were read, so a record cut
 * short by truncation leaves no trace in the decoder's state.
 */

import { ErrorCode, TraceError } from '../errors';
import type { Frame, TraceEvent } from './events';
import {
  BLOCK_REASONS,
  EXIT_FLAG_KILLED,
  EXIT_FLAG_READY,
  EXIT_FLAG_STARTED,
  EXIT_FLAG_SUCCESSFUL,
  GKIND_NAMES,
  OKIND_NAMES,
  Tag,
  type OKind,
} from './format';
import type { ByteReader } from './varint';

const EMPTY_STACK: readonly Frame[] = Object.freeze([]);
const utf8 = new TextDecoder('utf-8');

export class RecordDecoder {
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
    if (tag >= Tag.FirstExtension) {
      r.take(r.u());
      return null;
    }
    switch (tag) {
      case Tag.Str: {
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
      case Tag.Frame: {
        const file = this.s(r);
        const line = r.u();
        const fn = this.s(r);
        this.frames.push({ file, line, function: fn });
        return null;
      }
      case Tag.Stack: {
        const n = r.u();
        // Each frame ref takes at least a byte; checking first stops a huge
        // bogus count from allocating before running out of data.
        if (n > r.remaining) r.take(n);
        const stack: Frame[] = [];
        for (let i = 0; i < n; i++) stack.push(this.fRequired(r));
        this.stacks.push(Object.freeze(stack));
        return null;
      }
      default:
        return this.event(tag, r, start);
    }
  }

  /** The header's promise that strings past `n` are used once (docs/trace-format.md). */
  keepStringsUpTo(n: number | null): void {
    this.keptStrings = n ?? Infinity;
  }

  private event(tag: number, r: ByteReader, start: number): TraceEvent {
    const t = this.lastT + r.u();
    const seq = this.nextSeq;
    const ev = this.fields(tag, r, seq, t, start);
    this.nextSeq = seq + 1;
    this.lastT = t;
    if (this.recent.length > 0) this.recent = [];
    return ev;
  }

  private fields(tag: number, r: ByteReader, seq: number, t: number, start: number): TraceEvent {
    switch (tag) {
      case Tag.Spawn: {
        const g = r.u(), parent = r.u();
        const gkind = enumValue(GKIND_NAMES, r.u(), 'greenlet kind', r);
        const name = this.s(r), func = this.s(r), site = this.f(r), stack = this.k(r);
        return { seq, t, kind: 'spawn', g, parent, gkind, name, func, site, stack };
      }
      case Tag.Switch:
      case Tag.SwitchThrow: {
        const from = r.u(), to = r.u();
        return { seq, t, kind: 'switch', from, to, throw: tag === Tag.SwitchThrow };
      }
      case Tag.Block: {
        const g = r.u();
        const reason = enumValue(BLOCK_REASONS, r.u(), 'block reason', r);
        const obj = r.u(), rawTimeout = r.u(), site = this.f(r), stack = this.k(r);
        const timeout = rawTimeout === 0 ? null : (rawTimeout - 1) / 1e6;
        return { seq, t, kind: 'block', g, reason, obj, timeout, site, stack };
      }
      case Tag.Ready: {
        const g = r.u(), by = r.u();
        return { seq, t, kind: 'ready', g, by };
      }
      case Tag.Exception: {
        const g = r.u(), type = this.s(r), message = this.s(r), traceback = this.s(r);
        return { seq, t, kind: 'exception', g, type, message, traceback };
      }
      case Tag.Exit: {
        const g = r.u(), bits = r.u(), value = this.s(r), error = this.s(r);
        const flags = {
          started: (bits & EXIT_FLAG_STARTED) !== 0,
          ready: (bits & EXIT_FLAG_READY) !== 0,
          successful: (bits & EXIT_FLAG_SUCCESSFUL) !== 0,
          killed: (bits & EXIT_FLAG_KILLED) !== 0,
        };
        return { seq, t, kind: 'exit', g, flags, value, error };
      }
      case Tag.Rename: {
        const g = r.u(), name = this.s(r);
        return { seq, t, kind: 'rename', g, name };
      }
      case Tag.Object: {
        const obj = r.u();
        const code = r.u();
        if (code === 0) throw r.bad('object kind 0');
        const okind = enumValue(OKIND_NAMES, code, 'object kind', r) as OKind;
        const rawCapacity = r.u(), type = this.s(r), site = this.f(r), by = r.u();
        const capacity = rawCapacity === 0 ? null : rawCapacity - 1;
        return { seq, t, kind: 'object', obj, okind, capacity, type, site, by };
      }
      case Tag.Put:
      case Tag.Get: {
        const obj = r.u(), item = this.s(r);
        return { seq, t, kind: tag === Tag.Put ? 'put' : 'get', obj, item };
      }
      case Tag.QSync: {
        const obj = r.u(), n = r.u();
        if (n > r.remaining) r.take(n);
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.s(r));
        return { seq, t, kind: 'qsync', obj, items };
      }
      case Tag.Set: {
        const obj = r.u(), value = this.s(r);
        return { seq, t, kind: 'set', obj, value };
      }
      case Tag.SetExc: {
        const obj = r.u(), error = this.s(r);
        return { seq, t, kind: 'setexc', obj, error };
      }
      case Tag.Clear:
        return { seq, t, kind: 'clear', obj: r.u() };
      case Tag.Acquire:
      case Tag.Release: {
        const obj = r.u(), g = r.u();
        return { seq, t, kind: tag === Tag.Acquire ? 'acquire' : 'release', obj, g };
      }
      case Tag.Mark:
        return { seq, t, kind: 'mark', label: this.s(r) };
      case Tag.Error:
        return { seq, t, kind: 'error', message: this.s(r) };
      case Tag.End: {
        const code = r.i(), switches = r.u(), errors = r.u();
        return { seq, t, kind: 'end', code, switches, errors };
      }
      default:
        throw new TraceError(
          ErrorCode.BadRecord,
          `unknown record tag 0x${tag.toString(16).padStart(2, '0')} at byte ${r.base + start}`,
          r.base + start,
        );
    }
  }

  private s(r: ByteReader): string {
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

  private f(r: ByteReader): Frame | null {
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

  private k(r: ByteReader): readonly Frame[] {
    const at = r.pos;
    const ref = r.u();
    const v = this.stacks[ref];
    if (v === undefined) throw badRef('stack', ref, this.stacks.length - 1, r.base + at);
    return v;
  }
}

function enumValue<T extends string>(names: readonly T[], code: number, what: string, r: ByteReader): T {
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
