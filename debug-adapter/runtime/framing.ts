/**
 * The runtime channel's framing (docs/debug-protocol.md): 1 byte kind,
 * 4 bytes big-endian payload length, the payload. Kept apart from the socket
 * so it can be tested byte by byte, split at any point.
 */

export const KIND_JSON = 0x4a; // 'J'
export const KIND_TRACE = 0x54; // 'T'
export const FRAME_HEADER_SIZE = 5;
/**
 * Larger lengths are taken as a broken stream rather than waited for: the
 * runtime flushes trace chunks of about 64 KiB and JSON messages are small.
 */
export const MAX_FRAME_SIZE = 64 * 1024 * 1024;

export type FrameKind = typeof KIND_JSON | typeof KIND_TRACE;

export interface Frame {
  readonly kind: FrameKind;
  readonly payload: Buffer;
}

export class FramingError extends Error {
  override readonly name = 'FramingError';
}

export function encodeFrame(kind: FrameKind, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_SIZE + payload.length);
  out[0] = kind;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, FRAME_HEADER_SIZE);
  return out;
}

export function encodeJson(message: object): Buffer {
  return encodeFrame(KIND_JSON, Buffer.from(JSON.stringify(message), 'utf8'));
}

/** Cuts a byte stream into frames; push() throws FramingError on a bad header and then stays failed. */
export class FrameReader {
  private buffered: Buffer[] = [];
  private size = 0;
  private failed: FramingError | null = null;

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.size;
  }

  push(bytes: Buffer): Frame[] {
    if (this.failed !== null) throw this.failed;
    this.buffered.push(bytes);
    this.size += bytes.length;
    const frames: Frame[] = [];
    while (this.size >= FRAME_HEADER_SIZE) {
      const head = this.peek(FRAME_HEADER_SIZE);
      const kind = head[0]!;
      const length = head.readUInt32BE(1);
      if (kind !== KIND_JSON && kind !== KIND_TRACE) {
        this.failed = new FramingError(`unknown frame kind 0x${kind.toString(16).padStart(2, '0')}`);
        throw this.failed;
      }
      if (length > MAX_FRAME_SIZE) {
        this.failed = new FramingError(`frame of ${length} bytes is larger than the ${MAX_FRAME_SIZE} allowed`);
        throw this.failed;
      }
      if (this.size < FRAME_HEADER_SIZE + length) break;
      const whole = this.take(FRAME_HEADER_SIZE + length);
      frames.push({ kind, payload: whole.subarray(FRAME_HEADER_SIZE) });
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    const first = this.buffered[0]!;
    const out = first.subarray(0, n);
    if (first.length === n) this.buffered.shift();
    else this.buffered[0] = first.subarray(n);
    this.size -= n;
    return out;
  }
}
