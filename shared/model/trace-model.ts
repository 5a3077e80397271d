/**
 * The state model over a whole trace: events are appended as they are
 * decoded (possibly while the program still runs), and the state at any
 * event can be asked for in any order.
 *
 * Random access replays from the nearest checkpoint taken every
 * `checkpointInterval` events, so any step costs at most one interval of
 * replay; stepping forward from the last answer replays only the gap.
 */

import type { TraceEvent } from '../trace/events';
import { applyEvent } from './apply';
import { EventLog } from './event-log';
import { buildSnapshot } from './snapshot';
import type { MarkEntry, RuntimeErrorEntry, TraceState } from './state';
import { emptyState, forkState, type WorkingState } from './working-state';

export const DEFAULT_CHECKPOINT_INTERVAL = 4096;

export interface TraceModelOptions {
  checkpointInterval?: number;
}

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
  private readonly marks: MarkEntry[] = [];
  private readonly errors: RuntimeErrorEntry[] = [];

  constructor(options: TraceModelOptions = {}) {
    const interval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`bad checkpoint interval ${interval}`);
    this.checkpointInterval = interval;
    this.head = emptyState(this.epoch());
    this.checkpoint();
  }

  get eventCount(): number {
    return this.log.length;
  }

  /** Appends the next event (seq must equal eventCount) and advances the head state. */
  append(ev: TraceEvent): void {
    this.log.append(ev);
    if (ev.kind === 'mark') this.marks.push({ seq: ev.seq, t: ev.t, label: ev.label });
    else if (ev.kind === 'error') this.errors.push({ seq: ev.seq, t: ev.t, message: ev.message });
    applyEvent(this.head, ev);
    if ((ev.seq + 1) % this.checkpointInterval === 0) this.checkpoint();
  }

  appendAll(events: Iterable<TraceEvent>): void {
    for (const ev of events) this.append(ev);
  }

  event(seq: number): TraceEvent {
    return this.log.get(seq);
  }

  /** The state after the last event (or the empty state when there is none). */
  latest(): TraceState {
    return buildSnapshot(this.head, this.marks, this.errors);
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
