/**
 * The live `greenletEvents` stream to the client (the board): new model
 * events in batches, at most one batch of `maxBatch` events per interval
 * however fast the program runs, so VS Code's window is never flooded. A
 * burst larger than that waits for the next intervals instead of being lost;
 * before a stop or the end, flush() sends all that waits, so the board is
 * complete whenever the user looks. A client that reads slower than that
 * (`backedUp()`: what was sent has not been written out yet) gets no new
 * batch until it catches up, so unsent messages never pile up in the
 * adapter's output. Only a backlog beyond `maxPending` (a program that
 * outruns the stream, or the client, for long) loses its oldest events,
 * never silently: the next batch's `dropped` says how many were skipped
 * right before its first event.
 */
import type { GreenletEventsBody } from '../../shared/protocol/custom-dap';
import { ItemQueue } from '../../shared/model/item-queue';
import type { Header, TraceEvent } from '../../shared/trace/events';

export const FLUSH_INTERVAL_MS = 16;
export const MAX_BATCH = 5000;
export const MAX_PENDING = 250_000;
/** Unread output beyond this (a few batches) means the client is behind: the stream waits. */
export const OUTPUT_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * GREENLET_LENS_STREAM_BATCH overrides maxBatch: smaller for a slow client,
 * and for tests, which need bursts larger than a batch without producing
 * 5000 events in 16 ms.
 */
export function streamOptionsFromEnv(env: NodeJS.ProcessEnv): EventStreamOptions {
  const n = Number(env['GREENLET_LENS_STREAM_BATCH']);
  return Number.isInteger(n) && n > 0 ? { maxBatch: n } : {};
}

export interface EventStreamOptions {
  intervalMs?: number;
  maxBatch?: number;
  maxPending?: number;
  /** True while earlier batches still wait to be written to the client: the next one waits too. */
  backedUp?: () => boolean;
}

export class EventStream {
  /** Waiting events, oldest first. */
  private pending = ItemQueue.empty<TraceEvent>();
  /** Dropped from the backlog since the last batch sent. */
  private droppedSinceSent = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private headerSent = false;
  private totalDropped = 0;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly backedUp: () => boolean;

  constructor(
    private readonly send: (body: GreenletEventsBody) => void,
    private readonly header: () => Header | null,
    options: EventStreamOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? FLUSH_INTERVAL_MS;
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.maxPending = Math.max(options.maxPending ?? MAX_PENDING, this.maxBatch);
    this.backedUp = options.backedUp ?? (() => false);
  }

  /** Events dropped over the whole session. */
  get dropped(): number {
    return this.totalDropped;
  }

  add(events: readonly TraceEvent[]): void {
    if (events.length === 0 || this.disposed) return;
    for (const ev of events) this.pending.push(ev);
    const over = this.pending.dropFront(this.pending.length - this.maxPending);
    this.droppedSinceSent += over;
    this.totalDropped += over;
    this.schedule();
  }

  /** Sends all that waits now, in batches of at most maxBatch (before a stop or the end, so the client's view is complete). */
  flush(): void {
    this.cancelTimer();
    this.lastFlush = Date.now();
    while (this.pending.length > 0 && !this.disposed) this.sendBatch();
  }

  private tick(): void {
    this.timer = null;
    this.lastFlush = Date.now();
    if (this.pending.length > 0 && !this.disposed && !this.backedUp()) this.sendBatch();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || this.pending.length === 0 || this.disposed) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.tick(), wait);
  }

  private sendBatch(): void {
    const events = this.pending.takeFront(this.maxBatch);
    const body: GreenletEventsBody = { events, dropped: this.droppedSinceSent };
    this.droppedSinceSent = 0;
    if (!this.headerSent) {
      const header = this.header();
      if (header !== null) {
        body.header = header;
        this.headerSent = true;
      }
    }
    this.send(body);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The session is over: nothing is sent from now on, whoever calls flush(). */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending = ItemQueue.empty<TraceEvent>();
  }
}
