/**
 * What the board of one debug session is fed: the session's trace bytes kept in the
 * extension up to a bound, so a board that (re)loads gets the whole
 * timeline again, followed by the session's latest status; and the live
 * messages while the board is listening. No `vscode` import.
 *
 * Bytes and status come as one stream, in the order things happened: handed
 * over in-process by an inline adapter (BoardStreamSink), or as the custom
 * events `greenletTrace` and `greenletStatus` of a standalone adapter, which
 * VS Code delivers in order. They are passed on in that order.
 *
 * Flow control: at most SEND_WINDOW_BYTES go to the board that it has not
 * said it used (`consumed`); the rest waits here, in order with the
 * statuses. Everything posted to a webview travels the same connection as
 * VS Code's own messages (in code-server one websocket): a board reopened on
 * a long session was sent 60 MB at once, and the stop's DAP messages queued
 * behind them for 6-7 s while the workbench itself was idle.
 */

import type { HostToBoard } from '../shared/protocol/board-messages';
import type { GreenletStatusBody, GreenletTraceBody } from '../shared/protocol/custom-dap';

/** Most trace bytes kept per session for a board that reloads (a busy program writes ~10 MB a minute). */
export const MAX_KEPT_BYTES = 256 * 1024 * 1024;
/** Bytes per message when replaying to a board. */
export const REPLAY_CHUNK_BYTES = 4 * 1024 * 1024;
/** Bytes sent to the board and not yet used by it, at most (one chunk goes even when it is larger). */
export const SEND_WINDOW_BYTES = 2 * 1024 * 1024;

/** A message waiting for the board: a run of session bytes, or anything else. */
type Outgoing = { pieces: Uint8Array[]; size: number } | { readonly message: HostToBoard };

export type StatusMessage = Extract<HostToBoard, { type: 'stopped' | 'continued' | 'ended' | 'error' }>;
export type BoardSink = (message: HostToBoard) => void;

export interface SessionFeedOptions {
  maxKeptBytes?: number;
  replayChunkBytes?: number;
  sendWindowBytes?: number;
}

/**
 * Pieces joined in a plain Uint8Array: VS Code passes typed arrays to a
 * webview as bytes by their constructor's name, and a Node Buffer (what
 * Buffer.concat returns) would go as JSON.
 */
function concat(pieces: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  private pieces: Uint8Array[] = [];
  private kept = 0;
  /** The kept bytes outgrew maxKeptBytes: a board that reloads cannot be refilled. */
  private overflowed = false;
  /** Bytes received: where the next batch must start. */
  private received = 0;
  private status: Exclude<StatusMessage, { type: 'error' }> | null = null;
  private lastError: Extract<StatusMessage, { type: 'error' }> | null = null;
  private lastStopThread: number | null = null;
  private sink: BoardSink | null = null;
  /** What the board has not been sent yet, in order: runs of bytes (joined when sent) and other messages. */
  private outbox: Outgoing[] = [];
  /** Session bytes sent to the board since it connected, and how many of them it has used. */
  private sentToBoard = 0;
  private usedByBoard = 0;
  private readonly maxKept: number;
  private readonly chunk: number;
  private readonly window: number;

  constructor(options: SessionFeedOptions = {}) {
    this.maxKept = options.maxKeptBytes ?? MAX_KEPT_BYTES;
    this.chunk = options.replayChunkBytes ?? REPLAY_CHUNK_BYTES;
    this.window = options.sendWindowBytes ?? SEND_WINDOW_BYTES;
  }

  /** Session bytes waiting for the board to use what it was sent. */
  get waitingBytes(): number {
    let n = 0;
    for (const m of this.outbox) if ('size' in m) n += m.size;
    return n;
  }

  /** Trace bytes kept for a board that reloads. */
  get keptBytes(): number {
    return this.kept;
  }

  /** Trace bytes received. */
  get bytesReceived(): number {
    return this.received;
  }

  /** Anything arrived (bytes or a status): a new run of the session needs a new feed. */
  get used(): boolean {
    return this.received > 0 || this.status !== null || this.lastError !== null;
  }

  /** The session has exited or terminated. */
  get ended(): boolean {
    return this.status?.type === 'ended';
  }

  /** The DAP thread of the latest stop (the greenlet that was stopped), for continue/pause. */
  get stopThread(): number | null {
    return this.lastStopThread;
  }

  /** One `greenletTrace` body (a standalone adapter's), in the order the adapter sent them. */
  addTrace(body: GreenletTraceBody): void {
    if (typeof body.data !== 'string' || body.data === '') return;
    const bytes = Buffer.from(body.data, 'base64');
    this.addBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), body.offset);
  }

  /** The next bytes of the session's trace, starting at `offset` (an inline adapter hands them over as they are). */
  addBytes(piece: Uint8Array, offset: number): void {
    if (piece.length === 0 || Number.isNaN(this.received)) return;
    if (offset !== this.received) {
      // Bytes missing or repeated: decoding on would show nonsense, so say it once and stop passing them on.
      this.addStatus({ type: 'error', message: `the session's trace stream skipped from byte ${this.received} to ${String(offset)}; the board stops here` });
      this.received = Number.NaN;
      return;
    }
    this.received += piece.length;
    if (!this.overflowed) {
      if (this.kept + piece.length <= this.maxKept) {
        this.pieces.push(piece);
        this.kept += piece.length;
      } else {
        this.overflowed = true;
        this.pieces = [];
        this.kept = 0;
      }
    }
    if (this.sink !== null) this.post({ type: 'sessionBytes', bytes: piece });
  }

  /** A stop, continue, end or failure of the session, in its place in the stream. */
  addStatus(message: StatusMessage): void {
    // After the end only an error is news; a second 'ended' (the adapter's, then VS Code's) is not.
    if (this.ended && message.type !== 'error') return;
    if (message.type === 'stopped') this.lastStopThread = message.g;
    // The replay ends with the session's state (stopped, running, ended), after its last error.
    if (message.type === 'error') this.lastError = message;
    else this.status = message;
    if (this.sink === null) return;
    // Out of band: a board that is behind learns at once that the program stopped, long before it reaches `stopped`.
    if (message.type !== 'error') this.sink({ type: 'pace', running: message.type === 'continued' });
    this.post(message);
  }

  /** The board is listening: replays everything kept, then follows live, as fast as the board uses what it gets. */
  connect(sink: BoardSink): void {
    this.disconnect();
    this.sink = sink;
    if (this.status !== null) sink({ type: 'pace', running: this.status.type === 'continued' });
    for (const message of this.replay()) this.post(message);
  }

  /** The board has used `bytes` of what it was sent since it connected: more may go. */
  consumed(bytes: number): void {
    if (this.sink === null) return;
    this.usedByBoard = Math.max(this.usedByBoard, Math.min(bytes, this.sentToBoard));
    this.pump();
  }

  /** The board went away (hidden, reloading, closed). */
  disconnect(): void {
    this.sink = null;
    this.outbox = [];
    this.sentToBoard = 0;
    this.usedByBoard = 0;
  }

  /** Queues a message for the board (pieces of bytes joined up to a chunk) and sends what the window allows. */
  private post(message: HostToBoard): void {
    const last = this.outbox.at(-1);
    if (message.type !== 'sessionBytes') this.outbox.push({ message });
    else if (last !== undefined && 'size' in last && last.size + message.bytes.length <= this.chunk) {
      last.pieces.push(message.bytes);
      last.size += message.bytes.length;
    } else {
      this.outbox.push({ pieces: [message.bytes], size: message.bytes.length });
    }
    this.pump();
  }

  private pump(): void {
    while (this.sink !== null && this.outbox.length > 0) {
      const next = this.outbox[0]!;
      if ('size' in next) {
        const unread = this.sentToBoard - this.usedByBoard;
        if (unread > 0 && unread + next.size > this.window) return;
        this.sentToBoard += next.size;
      }
      this.outbox.shift();
      this.sink('size' in next ? { type: 'sessionBytes', bytes: next.pieces.length === 1 ? next.pieces[0]! : concat(next.pieces, next.size) } : next.message);
    }
  }

  /** What a freshly loaded board needs: the kept bytes in chunks, then the latest status. */
  replay(): HostToBoard[] {
    const out: HostToBoard[] = [];
    if (this.overflowed) {
      out.push({
        type: 'error',
        message: `this session's trace outgrew the ${Math.round(this.maxKept / (1024 * 1024))} MB kept for a board that reloads; ` +
          'record it with the "trace" launch attribute to see it all',
      });
    } else {
      let run: Uint8Array[] = [];
      let size = 0;
      const flush = (): void => {
        if (size === 0) return;
        out.push({ type: 'sessionBytes', bytes: run.length === 1 ? run[0]! : concat(run, size) });
        run = [];
        size = 0;
      };
      for (const piece of this.pieces) {
        run.push(piece);
        size += piece.length;
        if (size >= this.chunk) flush();
      }
      flush();
    }
    if (this.lastError !== null) out.push(this.lastError);
    if (this.status !== null) out.push(this.status);
    return out;
  }

  dispose(): void {
    this.disconnect();
  }
}
