/**
 * Runtime notifications in arrival order, with one rule: a `stopped` is not
 * passed on until the trace model holds the event it names, so whoever
 * handles the stop sees the state at the stop. The runtime flushes the trace
 * before `stopped`, so the wait is normally zero; one that never ends is a
 * runtime defect, reported, and the stop is shown anyway.
 */
import type { RuntimeNotification } from './protocol';

export const STOP_EVENT_WAIT_MS = 2000;

export class NotificationQueue {
  private readonly queue: RuntimeNotification[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly eventCount: () => number,
    private readonly dispatch: (n: RuntimeNotification) => void,
    /** The trace did not catch up with a stop in time. */
    private readonly late: (seq: number, eventCount: number) => void,
    private readonly waitMs = STOP_EVENT_WAIT_MS,
  ) {}

  push(n: RuntimeNotification): void {
    this.queue.push(n);
    this.drain();
  }

  /** Passes on what may go now; call after every trace push. */
  drain(): void {
    while (this.queue.length > 0) {
      const n = this.queue[0]!;
      if (n.type === 'stopped' && n.stop.seq >= this.eventCount()) {
        if (this.timer === null) this.timer = setTimeout(() => this.giveUp(n.stop.seq), this.waitMs);
        return;
      }
      this.queue.shift();
      this.clearTimer();
      this.dispatch(n);
    }
  }

  /** Forgets everything queued (the connection is gone; those stops are moot). */
  clear(): void {
    this.queue.length = 0;
    this.clearTimer();
  }

  private giveUp(seq: number): void {
    this.timer = null;
    this.late(seq, this.eventCount());
    const n = this.queue.shift();
    if (n !== undefined) this.dispatch(n);
    this.drain();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
