/**
 * What the board of one debug session is fed: the session's `greenletEvents`
 * kept in the extension (bounded), so a board that (re)loads gets the whole
 * timeline again, followed by the session's latest status; and the live
 * messages while the board is listening. No `vscode` import.
 *
 * Events and status (`greenletStatus`) are custom events of one DAP stream,
 * sent by the adapter in the order things happened and delivered by VS Code
 * in that order, so they are passed on as they come.
 */

import type { HostToBoard } from '../shared/protocol/board-messages';
import type { GreenletEventsBody, GreenletStatusBody } from '../shared/protocol/custom-dap';
import type { Header, TraceEvent } from '../shared/trace/events';

/** Most events kept per session for replay; older ones are dropped (and counted as dropped). */
export const MAX_KEPT_EVENTS = 500_000;
/** Events per message when replaying. */
export const REPLAY_CHUNK = 20_000;

export type StatusMessage = Extract<HostToBoard, { type: 'stopped' | 'continued' | 'ended' | 'error' }>;
export type BoardSink = (message: HostToBoard) => void;

export interface SessionFeedOptions {
  maxKeptEvents?: number;
  replayChunk?: number;
}

interface Batch {
  readonly events: TraceEvent[];
  /** Events skipped right before this batch's first. */
  readonly dropped: number;
}

/** A `greenletStatus` body as the board's message. */
export function statusMessage(body: GreenletStatusBody): StatusMessage {
  switch (body.kind) {
    case 'stopped':
      return { type: 'stopped', seq: body.stop.seq, g: body.stop.g, reason: body.stop.reason, description: body.description };
    case 'continued':
      return { type: 'continued' };
    case 'ended':
      if (body.detached === true) return { type: 'ended', exitCode: null, byUser: true, detached: true };
      return body.byUser ? { type: 'ended', exitCode: body.exitCode, byUser: true } : { type: 'ended', exitCode: body.exitCode };
  }
}

export class SessionFeed {
  private batches: Batch[] = [];
  private kept = 0;
  /** Events dropped from the front to stay within maxKeptEvents. */
  private trimmed = 0;
  private header: Header | undefined;
  /** The seq of the last event passed on; -1 before any. */
  private through = -1;
  private status: Exclude<StatusMessage, { type: 'error' }> | null = null;
  private lastError: Extract<StatusMessage, { type: 'error' }> | null = null;
  private lastStopThread: number | null = null;
  private sink: BoardSink | null = null;
  private readonly maxKept: number;
  private readonly chunk: number;

  constructor(options: SessionFeedOptions = {}) {
    this.maxKept = options.maxKeptEvents ?? MAX_KEPT_EVENTS;
    this.chunk = options.replayChunk ?? REPLAY_CHUNK;
  }

  /** Events kept for replay. */
  get keptEvents(): number {
    return this.kept;
  }

  /** The seq of the last event received; -1 before any. */
  get lastSeq(): number {
    return this.through;
  }

  /** The session has exited or terminated. */
  get ended(): boolean {
    return this.status?.type === 'ended';
  }

  /** The DAP thread of the latest stop (the greenlet that was stopped), for continue/pause. */
  get stopThread(): number | null {
    return this.lastStopThread;
  }

  /** One `greenletEvents` body, in the order the adapter sent them. */
  addEvents(body: GreenletEventsBody): void {
    const events = Array.isArray(body.events) ? body.events : [];
    const dropped = typeof body.dropped === 'number' && body.dropped > 0 ? body.dropped : 0;
    if (body.header !== undefined && this.header === undefined) this.header = body.header;
    if (events.length === 0 && dropped === 0) return;
    this.batches.push({ events, dropped });
    this.kept += events.length;
    this.trim();
    if (events.length > 0) this.through = Math.max(this.through, events[events.length - 1]!.seq);
    const message: HostToBoard = body.header !== undefined
      ? { type: 'events', events, header: body.header, dropped }
      : { type: 'events', events, dropped };
    this.sink?.(message);
  }

  /** A stop, continue, end or failure of the session, in its place in the stream. */
  addStatus(message: StatusMessage): void {
    // After the end only an error is news; a second 'ended' (the adapter's, then VS Code's) is not.
    if (this.ended && message.type !== 'error') return;
    if (message.type === 'stopped') this.lastStopThread = message.g;
    // The replay ends with the session's state (stopped, running, ended), after its last error.
    if (message.type === 'error') this.lastError = message;
    else this.status = message;
    this.sink?.(message);
  }

  /** The board is listening: replays everything kept, then follows live. */
  connect(sink: BoardSink): void {
    for (const message of this.replay()) sink(message);
    this.sink = sink;
  }

  /** The board went away (hidden, reloading, closed). */
  disconnect(): void {
    this.sink = null;
  }

  /** What a freshly loaded board needs: the kept events in chunks, then the latest status. */
  replay(): HostToBoard[] {
    const out: HostToBoard[] = [];
    let events: TraceEvent[] = [];
    let dropped = this.trimmed;
    let headerDue = this.header !== undefined;
    const flush = (): void => {
      if (events.length === 0 && dropped === 0 && !headerDue) return;
      if (headerDue && this.header !== undefined) out.push({ type: 'events', events, header: this.header, dropped });
      else out.push({ type: 'events', events, dropped });
      headerDue = false;
      events = [];
      dropped = 0;
    };
    for (const batch of this.batches) {
      // A drop belongs right before its batch's first event: it starts a message.
      if (batch.dropped > 0) {
        if (events.length > 0) flush();
        dropped += batch.dropped;
      }
      for (const ev of batch.events) {
        events.push(ev);
        if (events.length >= this.chunk) flush();
      }
    }
    flush();
    if (this.lastError !== null) out.push(this.lastError);
    if (this.status !== null) out.push(this.status);
    return out;
  }

  dispose(): void {
    this.sink = null;
  }

  private trim(): void {
    while (this.kept > this.maxKept && this.batches.length > 1) {
      const first = this.batches.shift()!;
      this.kept -= first.events.length;
      this.trimmed += first.dropped + first.events.length;
    }
  }
}
