/**
 * The live `greenletEvents` stream to the client (the board): new model
 * events in batches, at most one batch per interval however fast the program
 * runs. A client that cannot keep up loses the oldest events of a batch,
 * never silently: the batch's `dropped` says how many were skipped right
 * before its first event (the snapshot request still has them all).
 */
import type { GreenletEventsBody } from '../../shared/protocol/custom-dap';
import type { Header, TraceEvent } from '../../shared/trace/events';

export const FLUSH_INTERVAL_MS = 16;
export const MAX_BATCH = 5000;

export interface EventStreamOptions {
  intervalMs?: number;
  maxBatch?: number;
}

export class EventStream {
  private pending: (readonly TraceEvent[])[] = [];
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private headerSent = false;
  private totalDropped = 0;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly send: (body: GreenletEventsBody) => void,
    private readonly header: () => Header | null,
    options: EventStreamOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? FLUSH_INTERVAL_MS;
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
  }

  /** Events dropped over the whole session. */
  get dropped(): number {
    return this.totalDropped;
  }

  add(events: readonly TraceEvent[]): void {
    if (events.length === 0 || this.disposed) return;
    this.pending.push(events);
    this.pendingCount += events.length;
    if (this.timer === null) {
      const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
      this.timer = setTimeout(() => this.flush(), wait);
    }
  }

  /** Sends what is pending now (before a stop or the end, so the client's view is complete). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = Date.now();
    if (this.pendingCount === 0 || this.disposed) return;
    let events = this.pending.length === 1 ? this.pending[0]!.slice() : ([] as TraceEvent[]).concat(...this.pending);
    this.pending = [];
    this.pendingCount = 0;
    let dropped = 0;
    if (events.length > this.maxBatch) {
      dropped = events.length - this.maxBatch;
      events = events.slice(dropped);
      this.totalDropped += dropped;
    }
    const body: GreenletEventsBody = { events, dropped };
    if (!this.headerSent) {
      const header = this.header();
      if (header !== null) {
        body.header = header;
        this.headerSent = true;
      }
    }
    this.send(body);
  }

  /** The session is over: nothing is sent from now on, whoever calls flush(). */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.pendingCount = 0;
  }
}
