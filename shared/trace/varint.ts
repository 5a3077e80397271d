/**
 * LEB128 varints and zigzag, as the trace format encodes integers.
 *
 * Values are JS numbers, so anything above 2^53 cannot be represented
 * exactly; such a value can only come from corrupt data and is rejected
 * instead of being silently rounded.
 */

import { ErrorCode, TraceError } from '../errors';

/** Signals that the bytes ran out mid-value; callers decide if that is truncation. */
export class OutOfData extends Error {
  override readonly name = 'OutOfData';
}

/** A cursor over one buffer, used to decode record fields in order. */
export class ByteReader {
  pos: number;

  /**
   * @param base file offset of bytes[0], so errors can name file positions.
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new OutOfData();
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128. */
  u(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) throw new OutOfData();
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      scale *= 128;
      // 8 groups carry 56 bits; more than that cannot be a safe integer.
      if (i >= 7) throw this.bad('varint longer than 8 bytes');
    }
    if (result > Number.MAX_SAFE_INTEGER) throw this.bad('varint exceeds 2^53');
    return result;
  }

  /** Zigzag-encoded signed integer. */
  i(): number {
    return zigzagDecode(this.u());
  }

  take(length: number): Uint8Array {
    if (length > this.end - this.pos) throw new OutOfData();
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  bad(message: string): TraceError {
    return new TraceError(ErrorCode.BadRecord, `${message} at byte ${this.base + this.pos}`, this.base + this.pos);
  }
}

export function zigzagDecode(u: number): number {
  // Arithmetic instead of bit operators: those truncate to 32 bits.
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

export function zigzagEncode(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Appends the unsigned LEB128 form of `value` (a non-negative safe integer). */
export function encodeUVarint(value: number, out: number[]): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`cannot encode ${value} as an unsigned varint`);
  }
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export function encodeIVarint(value: number, out: number[]): void {
  encodeUVarint(zigzagEncode(value), out);
}
