/**
 * Reading the board's status messages out of a `greenlet` session's DAP
 * traffic, as a DebugAdapterTracker sees it (every message from the adapter,
 * in order): 'stopped', 'continued', 'exited' and 'terminated' events, and
 * the seq of the last `greenletEvents` event sent before each (the barrier of
 * board-feed.ts, and the stop's seq when the StoppedEvent does not carry
 * one). No `vscode` import.
 */

import type { StatusMessage } from './board-feed';

export interface WatchedStatus {
  readonly message: StatusMessage;
  /** The seq of the last event the adapter sent before this message; -1 when none. */
  readonly barrier: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export class DapWatcher {
  private lastEventSeq = -1;

  /** The seq of the last event in the adapter's `greenletEvents` so far. */
  get eventsSeen(): number {
    return this.lastEventSeq;
  }

  /** One message from the adapter; the status it means for the board, if any. */
  fromAdapter(message: unknown): WatchedStatus | null {
    if (!isObject(message) || message['type'] !== 'event') return null;
    const body = isObject(message['body']) ? message['body'] : {};
    switch (message['event']) {
      case 'greenletEvents': {
        const events = body['events'];
        if (Array.isArray(events) && events.length > 0) {
          const seq = (events[events.length - 1] as { seq?: unknown }).seq;
          if (typeof seq === 'number') this.lastEventSeq = Math.max(this.lastEventSeq, seq);
        }
        return null;
      }
      case 'stopped': {
        // The adapter may say which event it stopped after; it flushes its events first, so else it is the last one sent.
        const seq = typeof body['seq'] === 'number' ? body['seq'] : this.lastEventSeq;
        const threadId = typeof body['threadId'] === 'number' ? body['threadId'] : 0;
        const description = text(body['description']) || text(body['text']) || text(body['reason']);
        return this.status({ type: 'stopped', seq, g: threadId, reason: text(body['reason']), description });
      }
      case 'continued':
        return this.status({ type: 'continued' });
      case 'exited':
        return this.status({ type: 'ended', exitCode: typeof body['exitCode'] === 'number' ? body['exitCode'] : null });
      case 'terminated':
        return this.status({ type: 'ended', exitCode: null });
      default:
        return null;
    }
  }

  private status(message: StatusMessage): WatchedStatus {
    return { message, barrier: this.lastEventSeq };
  }
}
