/**
 * Incremental trace decoder: bytes go in as they arrive (a file read in
 * pieces, a file that is still growing, a live stream) and events come out
 * as soon as the chunk holding them is complete and verified.
 *
 * Contract: push() and finish() never throw. A problem stops decoding and is
 * kept in `problem`; every event decoded before it has already been returned.
 */

import { ErrorCode, TraceError, asTraceError } from '../errors';
import { ByteQueue } from './byte-queue';
import { crc32 } from './crc32';
import type { Header, TraceEvent } from './events';
import { CHUNK_HEADER_SIZE, MAX_CHUNK_SIZE, MAX_HEADER_SIZE, PREAMBLE_SIZE } from './format';
import { parseHeader } from './header';
import { RecordDecoder } from './records';
import { CHUNK_MARKER, FORMAT_MAJOR, MAGIC } from './schema';
import { ByteReader, OutOfData } from './varint';

/**
 * complete: ended cleanly after an `end` record; incomplete: ended cleanly
 * without one (killed, or still running); truncated: ended inside the header
 * or a chunk; corrupt: stopped at invalid data.
 */
export type DecodeStatus = 'complete' | 'incomplete' | 'truncated' | 'corrupt';

export interface DecodeResult {
  /** Events decoded by finish() itself (whole records of a truncated last chunk). */
  readonly events: TraceEvent[];
  readonly status: DecodeStatus;
  /** Set for truncated and corrupt data. */
  readonly problem: TraceError | null;
  /** Where decoding stopped: the problem's offset, else the total byte count. */
  readonly offset: number;
}

type Phase =
  | { kind: 'preamble' }
  | { kind: 'header'; length: number; major: number; minor: number }
  | { kind: 'chunk' }
  | { kind: 'payload'; start: number; length: number; crc: number }
  | { kind: 'stopped' };

export class TraceDecoder {
  private readonly queue = new ByteQueue();
  private readonly records = new RecordDecoder();
  private phase: Phase = { kind: 'preamble' };
  /** File offset of the first byte still in the queue. */
  private consumed = 0;
  private received = 0;
  private headerValue: Header | null = null;
  private problemValue: TraceError | null = null;
  private sawEnd = false;
  private finished: DecodeResult | null = null;

  get header(): Header | null {
    return this.headerValue;
  }

  /** The problem that stopped decoding, if any (truncation is only known at finish()). */
  get problem(): TraceError | null {
    return this.problemValue;
  }

  get eventCount(): number {
    return this.records.nextSeq;
  }

  /** True once an `end` record was decoded. */
  get ended(): boolean {
    return this.sawEnd;
  }

  get bytesReceived(): number {
    return this.received;
  }

  /** Feeds the next bytes; returns the events they completed, in order. */
  push(bytes: Uint8Array): TraceEvent[] {
    const out: TraceEvent[] = [];
    if (this.finished !== null || this.phase.kind === 'stopped') return out;
    this.received += bytes.length;
    this.queue.push(bytes);
    try {
      this.pump(out);
    } catch (err) {
      this.stop(asTraceError(err, this.consumed));
    }
    return out;
  }

  /** Declares the input over and says how it ended. Further pushes are ignored. */
  finish(): DecodeResult {
    if (this.finished !== null) return { ...this.finished, events: [] };
    const events: TraceEvent[] = [];
    let result: DecodeResult;
    try {
      result = this.conclude(events);
    } catch (err) {
      const problem = asTraceError(err, this.consumed);
      result = { events, status: 'corrupt', problem, offset: problem.offset ?? this.consumed };
    }
    this.queue.clear();
    this.finished = result;
    return result;
  }

  private conclude(events: TraceEvent[]): DecodeResult {
    const phase = this.phase;
    const at = this.consumed;
    switch (phase.kind) {
      case 'stopped': {
        const problem = this.problemValue!;
        const truncated = problem.code === ErrorCode.TruncatedChunk || problem.code === ErrorCode.TruncatedHeader;
        return { events, status: truncated ? 'truncated' : 'corrupt', problem, offset: problem.offset ?? at };
      }
      case 'preamble':
      case 'header': {
        if (this.received === 0) return this.truncated(events, new TraceError(ErrorCode.TruncatedHeader, 'the trace is empty', at, { empty: true }));
        return this.truncated(events, endsInside(ErrorCode.TruncatedHeader, `inside its header (${this.received} bytes)`, at));
      }
      case 'chunk':
        if (this.queue.length === 0) {
          return { events, status: this.sawEnd ? 'complete' : 'incomplete', problem: null, offset: at };
        }
        return this.truncated(events, endsInside(
          ErrorCode.TruncatedChunk,
          `inside the header of the chunk at byte ${at} (${this.queue.length} of ${CHUNK_HEADER_SIZE} bytes)`,
          at,
        ));
      case 'payload': {
        const present = this.queue.length;
        const payload = this.queue.take(present);
        const whole = this.decodePartial(payload, phase.start + CHUNK_HEADER_SIZE, events);
        return this.truncated(events, endsInside(
          ErrorCode.TruncatedChunk,
          `inside the chunk at byte ${phase.start} (${present} of ${phase.length} payload bytes; ` +
            `${whole} whole record${whole === 1 ? '' : 's'} read from it)`,
          phase.start,
        ));
      }
    }
  }

  private truncated(events: TraceEvent[], problem: TraceError): DecodeResult {
    this.problemValue = problem;
    return { events, status: 'truncated', problem, offset: problem.offset ?? this.consumed };
  }

  private pump(out: TraceEvent[]): void {
    for (;;) {
      const phase = this.phase;
      switch (phase.kind) {
        case 'preamble':
          if (!this.readPreamble()) return;
          break;
        case 'header': {
          // The JSON, then its CRC-32: a flipped bit in the header is found
          // even where the JSON would still parse.
          if (this.queue.length < phase.length + 4) return;
          const start = this.consumed;
          const json = this.take(phase.length);
          const crcBytes = this.take(4);
          const stored = new DataView(crcBytes.buffer, crcBytes.byteOffset, 4).getUint32(0, true);
          const actual = crc32(json);
          if (actual !== stored) {
            throw new TraceError(ErrorCode.BadHeader, `the trace header is corrupt (CRC ${hex(actual)}, expected ${hex(stored)})`, start);
          }
          this.headerValue = parseHeader(json, start, phase.major, phase.minor);
          this.records.keepStringsUpTo(this.headerValue.internedStrings);
          this.phase = { kind: 'chunk' };
          break;
        }
        case 'chunk':
          if (!this.readChunkHeader()) return;
          break;
        case 'payload': {
          if (this.queue.length < phase.length) return;
          const payload = this.take(phase.length);
          const actual = crc32(payload);
          if (actual !== phase.crc) {
            throw new TraceError(
              ErrorCode.CorruptChunk,
              `the chunk at byte ${phase.start} is corrupt (CRC ${hex(actual)}, expected ${hex(phase.crc)})`,
              phase.start,
            );
          }
          this.phase = { kind: 'chunk' };
          this.decodeVerified(payload, phase.start + CHUNK_HEADER_SIZE, out);
          break;
        }
        case 'stopped':
          return;
      }
    }
  }

  /** Returns false while more bytes are needed. */
  private readPreamble(): boolean {
    // Check the magic byte by byte so a non-trace is refused at once, even
    // when it is shorter than the preamble.
    const seen = Math.min(this.queue.length, MAGIC.length);
    for (let i = 0; i < seen; i++) {
      if (this.queue.peek(i) !== MAGIC[i]) {
        throw new TraceError(ErrorCode.BadMagic, 'not a Greenlet Lens trace (the file does not start with the trace signature)', i);
      }
    }
    if (this.queue.length < PREAMBLE_SIZE) return false;
    const pre = this.take(PREAMBLE_SIZE);
    const view = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
    const major = view.getUint16(8, true);
    const minor = view.getUint16(10, true);
    const length = view.getUint32(12, true);
    if (major !== FORMAT_MAJOR) {
      throw new TraceError(
        ErrorCode.UnsupportedVersion,
        `the trace has format version ${major}.${minor}; this reader supports ${FORMAT_MAJOR}.x`,
        8,
        { version: [major, minor] },
      );
    }
    if (length > MAX_HEADER_SIZE) {
      throw new TraceError(ErrorCode.BadHeader, `the trace header claims ${length} bytes, more than the ${MAX_HEADER_SIZE} allowed`, 12);
    }
    this.phase = { kind: 'header', length, major, minor };
    return true;
  }

  private readChunkHeader(): boolean {
    if (this.queue.length === 0) return false;
    const start = this.consumed;
    const marker = this.queue.peek(0);
    if (marker !== CHUNK_MARKER) {
      throw new TraceError(
        ErrorCode.CorruptChunk,
        `expected a chunk marker (0xc5) at byte ${start}, found ${hex(marker, 2)}`,
        start,
      );
    }
    if (this.queue.length < CHUNK_HEADER_SIZE) return false;
    const head = this.take(CHUNK_HEADER_SIZE);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const length = view.getUint32(1, true);
    const crc = view.getUint32(5, true);
    if (length > MAX_CHUNK_SIZE) {
      throw new TraceError(ErrorCode.CorruptChunk, `the chunk at byte ${start} claims ${length} bytes, more than the ${MAX_CHUNK_SIZE} allowed`, start);
    }
    this.phase = { kind: 'payload', start, length, crc };
    return true;
  }

  /** A verified payload must hold whole valid records; anything else is corruption. */
  private decodeVerified(payload: Uint8Array, base: number, out: TraceEvent[]): void {
    const r = new ByteReader(payload, base);
    while (r.remaining > 0) {
      const start = r.pos;
      try {
        this.emit(r, out);
      } catch (err) {
        if (!(err instanceof OutOfData)) throw err;
        throw new TraceError(ErrorCode.BadRecord, `the record at byte ${base + start} runs past the end of its chunk`, base + start);
      }
    }
  }

  /**
   * An unverified, cut-short payload: keep the whole records, stop at the
   * first one that is cut (or unreadable, since the CRC could not vouch for it).
   */
  private decodePartial(payload: Uint8Array, base: number, out: TraceEvent[]): number {
    const r = new ByteReader(payload, base);
    let whole = 0;
    while (r.remaining > 0) {
      try {
        this.emit(r, out);
        whole++;
      } catch (err) {
        if (err instanceof OutOfData || err instanceof TraceError) break;
        throw err;
      }
    }
    return whole;
  }

  private emit(r: ByteReader, out: TraceEvent[]): void {
    const ev = this.records.decode(r);
    if (ev === null) return;
    if (ev.kind === 'end') this.sawEnd = true;
    out.push(ev);
  }

  private take(n: number): Uint8Array {
    this.consumed += n;
    return this.queue.take(n);
  }

  private stop(problem: TraceError): void {
    this.problemValue = problem;
    this.phase = { kind: 'stopped' };
    this.queue.clear();
  }
}

/** A truncation: where the data ends is kept apart from the sentence, for callers that word it themselves. */
function endsInside(code: ErrorCode, where: string, at: number): TraceError {
  return new TraceError(code, `the trace ends ${where}`, at, { ends: where });
}

function hex(n: number, width = 8): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}
