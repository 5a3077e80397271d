/**
 * The state model over a whole trace: events are appended as they are
 * decoded (possibly while the program still runs), and the state at any
 * event can be asked for in any order.
 *
 * Random access replays from the nearest checkpoint taken every
 * `checkpointInterval` events, so any step costs at most one interval of
 * replay; stepping forward from the last answer replays only the gap.
 *
 * With `history: false` (a live session's adapter, `greenlet-lens state`)
 * only the latest state is kept: events are counted, not stored, no
 * checkpoint is taken, and only the last `keepDead` dead greenlets stay in
 * the state, so memory does not grow with the length of the run.
 */

import type { TraceEvent } from '../trace/events';
import { applyEvent } from './apply';
import { EventLog } from './event-log';
import { ItemQueue } from './item-queue';
import { buildSnapshot, buildSnapshotParts, type GreenletViews } from './snapshot';
import type { MarkEntry, RuntimeErrorEntry, TraceState } from './state';
import { emptyState, forkState, type WorkingState } from './working-state';

export const DEFAULT_CHECKPOINT_INTERVAL = 4096;

export interface TraceModelOptions {
  checkpointInterval?: number;
  /** Keep every event for stateAt(n) and event(n) (default true). */
  history?: boolean;
  /** Without history: dead greenlets kept in the state, the latest ones (default 10,000). */
  keepDead?: number;
}

export const DEFAULT_KEEP_DEAD = 10_000;
/** Without history: marks and runtime errors kept, the latest ones. */
const KEEP_NOTES = 1000;

export class TraceModel {
  readonly log = new EventLog();
  readonly checkpointInterval: number;
  private nextEpoch = 0;
  /** State after the last appended event. */
  private head: WorkingState;
  /** checkpoints[k]: state after event k * interval - 1 (k = 0: before any event). */
  private readonly checkpoints: WorkingState[] = [];
  /** Scratch state for random access, reused while the caller steps forward. */
  private cursor: WorkingState | null = null;
  /** Append-only; a state shows a prefix of these (its markCount / errorCount). */
  private marks: MarkEntry[] = [];
  private errors: RuntimeErrorEntry[] = [];
  readonly history: boolean;
  private readonly keepDead: number;
  private count = 0;
  /** Without history: ids of dead greenlets in the order they died. */
  private readonly dead = ItemQueue.empty<number>();

  constructor(options: TraceModelOptions = {}) {
    const interval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`bad checkpoint interval ${interval}`);
    this.checkpointInterval = interval;
    this.history = options.history ?? true;
    this.keepDead = options.keepDead ?? DEFAULT_KEEP_DEAD;
    this.head = emptyState(this.epoch());
    if (this.history) this.checkpoint();
  }

  get eventCount(): number {
    return this.count;
  }

  /** Appends the next event (seq must equal eventCount) and advances the head state. */
  append(ev: TraceEvent): void {
    if (this.history) this.log.append(ev);
    else if (ev.seq !== this.count) throw new RangeError(`TraceModel expects seq ${this.count}, got ${ev.seq}`);
    this.count++;
    if (ev.kind === 'mark') this.note(this.marks, { seq: ev.seq, t: ev.t, label: ev.label });
    else if (ev.kind === 'error') this.note(this.errors, { seq: ev.seq, t: ev.t, message: ev.message });
    applyEvent(this.head, ev);
    if (this.history) {
      if ((ev.seq + 1) % this.checkpointInterval === 0) this.checkpoint();
    } else if (ev.kind === 'exit') {
      this.forgetOldDead(ev.g);
    }
  }

  private note<T>(list: T[], entry: T): void {
    list.push(entry);
    if (!this.history && list.length > 2 * KEEP_NOTES) list.splice(0, list.length - KEEP_NOTES);
  }

  private forgetOldDead(g: number): void {
    this.dead.push(g);
    while (this.dead.length > this.keepDead) {
      const old = this.dead.shift()!;
      const rec = this.head.greenlets.get(old);
      if (rec !== undefined && (rec.state === 'dead_ok' || rec.state === 'dead_exception')) this.head.greenlets.delete(old);
    }
  }

  appendAll(events: Iterable<TraceEvent>): void {
    for (const ev of events) this.append(ev);
  }

  event(seq: number): TraceEvent {
    if (!this.history) throw new RangeError('this model keeps no events (history: false)');
    return this.log.get(seq);
  }

  /** The state after the last event (or the empty state when there is none). */
  latest(): TraceState {
    return buildSnapshot(this.head, this.marks, this.errors);
  }

  /**
   * latest() with its greenlets to be viewed one at a time (`state.greenlets`
   * is empty): for printing a huge state without holding it twice. Valid
   * until the next append.
   */
  latestParts(): { state: TraceState; greenlets: GreenletViews } {
    return buildSnapshotParts(this.head, this.marks, this.errors);
  }

  /**
   * The state right after event `n` was applied; -1 gives the state before
   * any event. Throws RangeError outside [-1, eventCount - 1].
   */
  stateAt(n: number): TraceState {
    if (!Number.isInteger(n) || n < -1 || n >= this.eventCount) {
      throw new RangeError(`no event ${n}: the trace has events 0..${this.eventCount - 1}`);
    }
    if (n === this.head.seq) return this.latest();
    if (!this.history) throw new RangeError(`no state at event ${n}: this model keeps only the latest (history: false)`);
    const base = this.checkpoints[Math.floor((n + 1) / this.checkpointInterval)]!;
    const cursor = this.cursor;
    let state: WorkingState;
    if (cursor !== null && cursor.seq <= n && cursor.seq >= base.seq) {
      state = cursor;
    } else {
      state = forkState(base, this.epoch());
    }
    for (let seq = state.seq + 1; seq <= n; seq++) applyEvent(state, this.log.get(seq));
    this.cursor = state;
    return buildSnapshot(state, this.marks, this.errors);
  }

  private checkpoint(): void {
    this.checkpoints.push(forkState(this.head, -1));
    // From here on the head must clone any record the checkpoint shares.
    this.head.epoch = this.epoch();
  }

  private epoch(): number {
    return this.nextEpoch++;
  }
}
