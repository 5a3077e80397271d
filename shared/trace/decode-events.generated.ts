// Generated from shared/trace/schema.ts by scripts/gen-schema.mjs: do not edit; change the schema and run the generator.
import type { TraceEvent } from './events';
import type { FieldReader } from './records';
import type { ByteReader } from './varint';

/** The event of tag `tag` whose `dt` was just read, or undefined for a tag that is not an event. */
export function decodeEvent(x: FieldReader, r: ByteReader, tag: number, seq: number, t: number): TraceEvent | undefined {
  switch (tag) {
    case 0x10: {
      const g = r.u(), parent = r.u(), gkind = x.gkind(r), name = x.s(r), func = x.s(r), site = x.f(r), stack = x.k(r);
      return { seq, t, kind: 'spawn', g, parent, gkind, name, func, site, stack };
    }
    case 0x11: {
      const from = r.u(), to = r.u();
      return { seq, t, kind: 'switch', from, to, throw: false };
    }
    case 0x12: {
      const from = r.u(), to = r.u();
      return { seq, t, kind: 'switch', from, to, throw: true };
    }
    case 0x13: {
      const g = r.u(), reason = x.reason(r), obj = r.u(), timeout = x.timeout(r), site = x.f(r), stack = x.k(r);
      return { seq, t, kind: 'block', g, reason, obj, timeout, site, stack };
    }
    case 0x14: {
      const g = r.u(), by = r.u();
      return { seq, t, kind: 'ready', g, by };
    }
    case 0x15: {
      const g = r.u(), type = x.s(r), message = x.s(r), traceback = x.s(r);
      return { seq, t, kind: 'exception', g, type, message, traceback };
    }
    case 0x16: {
      const g = r.u(), flags = x.flags(r), value = x.s(r), error = x.s(r);
      return { seq, t, kind: 'exit', g, flags, value, error };
    }
    case 0x17: {
      const g = r.u(), name = x.s(r);
      return { seq, t, kind: 'rename', g, name };
    }
    case 0x20: {
      const obj = r.u(), okind = x.okind(r), capacity = x.capacity(r), type = x.s(r), site = x.f(r), by = r.u();
      return { seq, t, kind: 'object', obj, okind, capacity, type, site, by };
    }
    case 0x21: {
      const obj = r.u(), item = x.s(r);
      return { seq, t, kind: 'put', obj, item };
    }
    case 0x22: {
      const obj = r.u(), item = x.s(r);
      return { seq, t, kind: 'get', obj, item };
    }
    case 0x23: {
      const obj = r.u(), items = x.strs(r);
      return { seq, t, kind: 'qsync', obj, items };
    }
    case 0x24: {
      const obj = r.u(), value = x.s(r);
      return { seq, t, kind: 'set', obj, value };
    }
    case 0x25: {
      const obj = r.u(), error = x.s(r);
      return { seq, t, kind: 'setexc', obj, error };
    }
    case 0x26: {
      const obj = r.u();
      return { seq, t, kind: 'clear', obj };
    }
    case 0x27: {
      const obj = r.u(), g = r.u();
      return { seq, t, kind: 'acquire', obj, g };
    }
    case 0x28: {
      const obj = r.u(), g = r.u();
      return { seq, t, kind: 'release', obj, g };
    }
    case 0x30: {
      const label = x.s(r);
      return { seq, t, kind: 'mark', label };
    }
    case 0x3E: {
      const message = x.s(r);
      return { seq, t, kind: 'error', message };
    }
    case 0x3F: {
      const code = r.i(), switches = r.u(), errors = r.u();
      return { seq, t, kind: 'end', code, switches, errors };
    }
    default:
      return undefined;
  }
}

/**
 * The extension record of tag `tag` read from `r`, a reader over its body (its
 * length already read), or undefined for an extension this reader does not know.
 */
export function decodeExtension(x: FieldReader, r: ByteReader, tag: number, seq: number, t: number): TraceEvent | undefined {
  switch (tag) {
    case 0xA0: {
      const g = r.u(), by = r.u(), how = x.how(r);
      return { seq, t, kind: 'observed', g, by, how };
    }
    case 0xA1: {
      const obj = r.u(), name = x.s(r);
      return { seq, t, kind: 'named', obj, name };
    }
    default:
      return undefined;
  }
}
