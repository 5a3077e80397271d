/**
 * Getting events into the board without freezing it. Bytes are decoded in
 * pieces and events applied in time slices of SLICE_MS, yielding to the
 * event loop in between, so a 200k-event trace paints progress while it
 * loads and input stays responsive.
 *
 * Live events may have gaps (the adapter drops events a slow client cannot
 * take, and the extension trims the oldest): the model needs consecutive
 * seqs, so events are renumbered on the board's side and `toLocal` maps a
 * session seq (a stop's) to the board's.
 */

import { messageOf } from '../shared/errors';
import { TraceDecoder, type DecodeResult, type Header, type TraceEvent } from '../shared/trace/index';
import { FetchError } from './problem';

const SLICE_MS = 12;
/** Largest piece handed to the decoder at once (its work per call is proportional). */
const PIECE_BYTES = 32 * 1024;

export type EventSink = (ev: TraceEvent) => void;

export class EventFeed {
  private batches: TraceEvent[][] = [];
  private at = 0;
  private draining: Promise<void> | null = null;
  /** [board seq, session seq] where numbering jumped, ascending. */
  private readonly jumps: [number, number][] = [];
  private next = 0;
  private shift = 0;

  constructor(private readonly sink: EventSink, private readonly afterSlice: () => void) {}

  /** Events waiting to be applied. */
  get pending(): number {
    let n = -this.at;
    for (const b of this.batches) n += b.length;
    return n;
  }

  /** Queues events (any numbering: gaps are closed) and applies them soon. */
  push(events: readonly TraceEvent[]): Promise<void> {
    if (events.length > 0) this.batches.push(events.map((ev) => this.renumber(ev)));
    return this.drain();
  }

  /** The board seq of session seq `seq` (the nearest earlier event if it was dropped). */
  toLocal(seq: number): number {
    let shift = 0;
    for (const [local, session] of this.jumps) {
      // In the gap before this jump: the last event the board has before it.
      if (session > seq) return Math.min(seq - shift, local - 1);
      shift = session - local;
    }
    return seq - shift;
  }

  /** Resolves once everything queued so far is applied. */
  drain(): Promise<void> {
    this.draining ??= this.run().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private renumber(ev: TraceEvent): TraceEvent {
    const local = this.next++;
    if (ev.seq - local !== this.shift) {
      this.shift = ev.seq - local;
      this.jumps.push([local, ev.seq]);
    }
    return this.shift === 0 ? ev : { ...ev, seq: local };
  }

  private async run(): Promise<void> {
    while (this.batches.length > 0) {
      while (this.batches.length > 0 && performance.now() < sliceEnd) {
        const batch = this.batches[0]!;
        // Check the clock every 256 events, not every event.
        const stop = Math.min(batch.length, this.at + 256);
        for (; this.at < stop; this.at++) this.sink(batch[this.at]!);
        if (this.at >= batch.length) {
          this.batches.shift();
          this.at = 0;
        }
      }
      this.afterSlice();
      await breathe();
    }
  }
}

/** Decodes trace bytes as they come (a fetch stream, or traceBytes messages) into an EventFeed. */
export class ByteFeed {
  private readonly decoder = new TraceDecoder();
  private tail: Promise<unknown> = Promise.resolve();
  private decoded = 0;
  private waiting = 0;
  /** Called after each piece with the bytes decoded so far. */
  onProgress: (bytes: number) => void = () => undefined;

  constructor(private readonly feed: EventFeed) {}

  get header(): Header | null {
    return this.decoder.header;
  }

  get bytesReceived(): number {
    return this.decoder.bytesReceived;
  }

  /** Bytes pushed and not decoded yet: the board is behind. */
  get pendingBytes(): number {
    return this.waiting;
  }

  /** Bytes in order: calls made before an earlier one has finished wait their turn. */
  push(bytes: Uint8Array): Promise<void> {
    this.waiting += bytes.length;
    return this.serially(async () => {
      let at = 0;
      try {
        for (; at < bytes.length; at += PIECE_BYTES) {
          const piece = bytes.subarray(at, at + PIECE_BYTES);
          // Decoding counts against the same slice as applying.
          await breathe();
          await this.feed.push(this.decoder.push(piece));
          this.decoded += piece.length;
          this.waiting -= piece.length;
          this.onProgress(this.decoded);
        }
      } finally {
        // Bytes a failure left undecoded are not waiting any more.
        this.waiting -= Math.max(0, bytes.length - at);
      }
    });
  }

  finish(): Promise<DecodeResult> {
    return this.serially(async () => {
      const result = this.decoder.finish();
      await this.feed.push(result.events);
      return result;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Streams a URL's bytes through a ByteFeed, reporting progress (0..1, or NaN without a length). */
export async function fetchTrace(url: string, bytes: ByteFeed, progress: (fraction: number) => void): Promise<DecodeResult> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (err) {
    throw new FetchError(`the request for ${url} failed (${messageOf(err)})`);
  }
  if (!response.ok) {
    const why = response.status === 404 ? 'the file was not found' : 'the server refused it';
    throw new FetchError(`HTTP ${response.status}${response.statusText !== '' ? ` ${response.statusText}` : ''} for ${url} (${why})`);
  }
  const total = Number(response.headers.get('content-length') ?? NaN);
  bytes.onProgress = (n) => progress(total > 0 ? n / total : NaN);
  if (response.body === null) {
    await bytes.push(new Uint8Array(await response.arrayBuffer()));
  } else {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Awaiting the push is the back-pressure: decode and apply before reading more.
      await bytes.push(value);
    }
  }
  return bytes.finish();
}

/** When the current slice of work must end: every awaited step shares one budget. */
let sliceEnd = performance.now() + SLICE_MS;
/** When the current slice began. */
let sliceStart = performance.now();
/** Work only in the page's idle time (see paceByIdle). */
let byIdle = false;
/** Most work per idle callback: an idle period lasts up to 50 ms, and a message VS Code gets meanwhile waits for the callback. */
const IDLE_SLICE_MS = SLICE_MS;
/** The least work per idle callback, even when it came by its timeout with no idle time left. */
const MIN_IDLE_SLICE_MS = 2;
/** A page that is never idle still gets this much done: MIN_IDLE_SLICE_MS at least this often. */
const IDLE_TIMEOUT_MS = 500;

/**
 * A live session's board shares its thread with VS Code's workbench (a
 * webview frame of the same origin runs in the workbench's process, as in
 * code-server). Paced by animation frames (4 ms a frame, as before), each
 * slice asked for a frame and the status it changed was laid out, painted
 * and layerized with the whole workbench, about 25 ms a frame at a thousand
 * greenlets: the thread was busy ~95 % of the time and VS Code's own
 * messages (a stop, its threads and stack) waited seconds. So a live board
 * decodes and applies only in idle time (requestIdleCallback), at most
 * IDLE_SLICE_MS at a time: VS Code's tasks always go first, and the board
 * catches up whenever VS Code has nothing to do. A trace file being opened
 * is loaded as fast as the page allows.
 */
export function paceByIdle(on: boolean): void {
  byIdle = on && typeof requestIdleCallback === 'function';
}

/** Yields to the event loop if this slice has used its budget (a microtask chain alone never lets the page paint). */
async function breathe(): Promise<void> {
  if (performance.now() < sliceEnd) return;
  if (byIdle) {
    if (running) restUntil = performance.now() + (performance.now() - sliceStart) * (1 - RUNNING_DUTY) / RUNNING_DUTY;
    const budget = await nextIdle();
    sliceStart = performance.now();
    sliceEnd = sliceStart + budget;
  } else {
    await yieldToLoop();
    sliceStart = performance.now();
    sliceEnd = sliceStart + SLICE_MS;
  }
}

/** Until when (performance.now()) a live board does no work at all: VS Code is showing a stop. */
let holdUntil = 0;
/** The live session runs (its host's `pace`): the board works at most RUNNING_DUTY of the time. */
let running = false;
/** Until when a running session's board rests after its last slice. */
let restUntil = 0;
/**
 * The share of the time a running session's board may work. Idle time is
 * not idle CPU: on two cores a board decoding a busy program all the idle
 * time it got used 60 % of a core, the program got 80 % instead of 100 %,
 * and each stop took up to a second to show (bench/pause-latency.mjs). The
 * board falls behind instead, and catches up once the program stops.
 */
const RUNNING_DUTY = 0.2;

/** The live session runs (true) or stopped or ended (false): how hard the board may work. */
export function setRunning(on: boolean): void {
  running = on;
  if (!on) restUntil = 0;
}

/** Whether the live session runs, as its host last said (`pace`, ahead of the bytes still to be read). */
export function sessionRuns(): boolean {
  return running;
}

/**
 * VS Code is about to show a stop (its threads, the stack, the editor): a
 * live board, which is always behind a busy program, leaves the thread to
 * it for `ms`, not even idle time, whose slices would each delay one of the
 * stop's round trips. Decoding resumes after; nothing is dropped.
 */
export function holdWork(ms: number): void {
  holdUntil = Math.max(holdUntil, performance.now() + ms);
}

/** Whether a live board works in idle time (paceByIdle): its redraws wait for idle time too. */
export function pacedByIdle(): boolean {
  return byIdle;
}

/** Runs `work` in the page's next idle period (or after IDLE_TIMEOUT_MS however busy the page is). */
export function whenIdle(work: () => void): void {
  const wait = holdUntil - performance.now();
  if (wait > 0) setTimeout(() => whenIdle(work), wait);
  else requestIdleCallback(() => work(), { timeout: IDLE_TIMEOUT_MS });
}

async function nextIdle(): Promise<number> {
  for (let wait = Math.max(holdUntil, restUntil) - performance.now(); wait > 0; wait = Math.max(holdUntil, restUntil) - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return new Promise((resolve) => requestIdleCallback(
    (deadline) => resolve(Math.max(MIN_IDLE_SLICE_MS, Math.min(IDLE_SLICE_MS, deadline.timeRemaining()))),
    { timeout: IDLE_TIMEOUT_MS },
  ));
}

/**
 * A macrotask boundary, so rendering and input get their turn. MessageChannel
 * avoids setTimeout's 4 ms clamp; a frame is still painted in between when
 * one is due.
 */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, 0);
      return;
    }
    // A channel per yield, closed once used: nothing stays open between loads.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
