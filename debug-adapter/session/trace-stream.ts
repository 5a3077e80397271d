/**
 * The live trace stream to the client (the board): the trace's own bytes in
 * batches, at most one batch of `maxBytes` per interval however fast the
 * program runs. The session sends a batch as a `greenletTrace` event (base64
 * in one string, which costs VS Code's workbench little to pass on, where
 * one JSON object per event kept it parsing), or, inline, hands it to the
 * extension directly (BoardStreamSink). A burst larger than a batch
 * waits for the next intervals; before a stop or the end, flush() sends all
 * that waits, so the board is complete whenever the user looks. A client
 * that reads slower than that (`backedUp()`: what was sent has not been
 * written out yet) gets no new batch until it catches up, so unsent JSON
 * never piles up in the adapter's output ahead of the DAP answers; the bytes
 * wait here instead, compact. Nothing is ever dropped: the bytes are the
 * trace, a gap would leave it undecodable.
 */
/** One batch: the next bytes of the session's trace, and where they start in it. */
export interface TraceBatch {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export const FLUSH_INTERVAL_MS = 16;
/** Bytes per batch: ~30 ms of a busy program's trace, ~1.4 MB of base64. */
export const MAX_BATCH_BYTES = 1 << 20;
/** Unread output beyond this (a few batches) means the client is behind: the stream waits. */
export const OUTPUT_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * GREENLET_LENS_STREAM_BATCH overrides maxBytes: tests need bursts larger
 * than a batch without producing a megabyte in 16 ms.
 */
export function streamOptionsFromEnv(env: NodeJS.ProcessEnv): TraceStreamOptions {
  const n = Number(env['GREENLET_LENS_STREAM_BATCH']);
  return Number.isInteger(n) && n > 0 ? { maxBytes: n } : {};
}

export interface TraceStreamOptions {
  intervalMs?: number;
  maxBytes?: number;
  /** True while earlier batches still wait to be written to the client: the next one waits too. */
  backedUp?: () => boolean;
}

export class TraceStream {
  /** Waiting pieces, oldest first; `head` bytes of the first were sent. */
  private pending: Uint8Array[] = [];
  private head = 0;
  private waiting = 0;
  /** Bytes sent so far: the offset of the next batch. */
  private sent = 0;
  private batches = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly backedUp: () => boolean;

  constructor(private readonly send: (batch: TraceBatch) => void, options: TraceStreamOptions = {}) {
    this.intervalMs = options.intervalMs ?? FLUSH_INTERVAL_MS;
    this.maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
    this.backedUp = options.backedUp ?? (() => false);
  }

  /** Bytes sent over the whole session. */
  get bytesSent(): number {
    return this.sent;
  }

  /** Batches sent over the whole session. */
  get batchCount(): number {
    return this.batches;
  }

  add(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.disposed) return;
    // The channel may reuse its buffer: keep a copy.
    this.pending.push(Uint8Array.prototype.slice.call(bytes));
    this.waiting += bytes.length;
    this.schedule();
  }

  /** Sends all that waits now, in batches of at most maxBytes (before a stop or the end, so the client's view is complete). */
  flush(): void {
    this.cancelTimer();
    this.lastFlush = Date.now();
    while (this.waiting > 0 && !this.disposed) this.sendBatch();
  }

  /** The session is over: nothing is sent from now on, whoever calls flush(). */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending = [];
    this.waiting = 0;
  }

  private tick(): void {
    this.timer = null;
    this.lastFlush = Date.now();
    if (this.waiting > 0 && !this.disposed && !this.backedUp()) this.sendBatch();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || this.waiting === 0 || this.disposed) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.tick(), wait);
  }

  private sendBatch(): void {
    const size = Math.min(this.maxBytes, this.waiting);
    // Its own buffer, not a slice of Node's pool: a receiver may keep it, or pass its whole ArrayBuffer on.
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const first = this.pending[0]!;
      const take = Math.min(size - filled, first.length - this.head);
      out.set(first.subarray(this.head, this.head + take), filled);
      filled += take;
      this.head += take;
      if (this.head === first.length) {
        this.pending.shift();
        this.head = 0;
      }
    }
    this.waiting -= size;
    const batch: TraceBatch = { bytes: out, offset: this.sent };
    this.sent += size;
    this.batches++;
    this.send(batch);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
