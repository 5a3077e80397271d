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
  /** VS Code asked the adapter to end the session (the user pressed Stop or Restart). */
  private endRequested = false;

  /** The seq of the last event in the adapter's `greenletEvents` so far. */
  get eventsSeen(): number {
    return this.lastEventSeq;
  }

  /** One message from VS Code to the adapter: only a request to end the session matters here. */
  fromClient(message: unknown): void {
    if (!isObject(message) || message['type'] !== 'request') return;
    if (message['command'] === 'terminate' || message['command'] === 'disconnect') this.endRequested = true;
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
        return this.ended(typeof body['exitCode'] === 'number' ? body['exitCode'] : null);
      case 'terminated':
        return this.ended(null);
      default:
        return null;
    }
  }

  private ended(exitCode: number | null): WatchedStatus {
    return this.status(this.endRequested ? { type: 'ended', exitCode, byUser: true } : { type: 'ended', exitCode });
  }

  private status(message: StatusMessage): WatchedStatus {
    return { message, barrier: this.lastEventSeq };
  }
}
