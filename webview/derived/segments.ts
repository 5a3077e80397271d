/**
 * Per-greenlet state segments, built once as events arrive: each lane is a
 * run of (start seq, start time, phase) in typed arrays, with prefix sums of
 * the time spent in each phase. The timeline draws from these (binary search
 * to the visible part), and the table's "running" / "waiting" columns are a
 * lookup plus one subtraction at the cursor, never a replay.
 *
 * The phase follows the same rules as shared/model/apply.ts (docs/
 * trace-format.md, "Meaning, as the state model applies it"), reduced to
 * what the timeline draws.
 */

import { assertNever } from '../../shared/assert-never';
import { STATE_WORDS } from '../../shared/present/greenlet-words';
import type { GKind, TraceEvent } from '../../shared/trace/events';
import { GrowableF64 } from './growable';

export const Phase = { notStarted: 0, runnable: 1, running: 2, blocked: 3, dead: 4 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

const PHASE_NAMES = [STATE_WORDS.not_started, STATE_WORDS.runnable, STATE_WORDS.running, STATE_WORDS.blocked, STATE_WORDS.dead_ok] as const;

export function phaseName(p: Phase): string {
  return PHASE_NAMES[p];
}

export interface PhaseTotals {
  /** Microseconds spent running (switched into). */
  running: number;
  /** Microseconds blocked: waiting on an object, a join, a sleep or I/O. */
  blocked: number;
  /** Microseconds runnable: ready, waiting for its turn. */
  runnable: number;
}

export class Lane {
  /** Segment i starts at event seqs[i], time times[i], in phase phases[i]; it ends where i + 1 starts. */
  readonly seqs = new GrowableF64();
  readonly times = new GrowableF64();
  readonly phases = new GrowableF64();
  /** Time spent in each phase in segments before i (prefix sums, so totals are O(log n)). */
  readonly runningBefore = new GrowableF64();
  readonly blockedBefore = new GrowableF64();
  readonly runnableBefore = new GrowableF64();
  /** Seqs of this greenlet's `block` events (the line it last waited at). */
  readonly blockSeqs = new GrowableF64();
  /** Times and seqs of its `exception` events. */
  readonly exceptionTimes = new GrowableF64();
  readonly exceptionSeqs = new GrowableF64();
  gkind: GKind = 'greenlet';
  /** Seq and time of its spawn record; -1 for a greenlet only ever referred to. */
  spawnSeq = -1;
  spawnTime = 0;

  constructor(readonly g: number, firstSeq: number, firstTime: number) {
    this.push(firstSeq, firstTime, Phase.notStarted);
  }

  get phase(): Phase {
    return this.phases.last() as Phase;
  }

  get segmentCount(): number {
    return this.seqs.length;
  }

  /** Moves to `phase` at event `seq`. Two changes within one event keep only the last. */
  setPhase(phase: Phase, seq: number, t: number): void {
    if (this.phase === phase) return;
    const n = this.seqs.length;
    if (n > 1 && this.seqs.at(n - 1) === seq) {
      for (const col of this.columns()) col.pop();
      if (this.phase === phase) return;
    }
    this.push(seq, t, phase);
  }

  /** Time spent per phase up to event `seq` at time `t` (the cursor). */
  totalsAt(seq: number, t: number): PhaseTotals {
    const i = this.seqs.lastAtMost(seq);
    if (i < 0) return { running: 0, blocked: 0, runnable: 0 };
    const open = Math.max(0, t - this.times.at(i));
    const phase = this.phases.at(i);
    return {
      running: this.runningBefore.at(i) + (phase === Phase.running ? open : 0),
      blocked: this.blockedBefore.at(i) + (phase === Phase.blocked ? open : 0),
      runnable: this.runnableBefore.at(i) + (phase === Phase.runnable ? open : 0),
    };
  }

  /** The phase right after event `seq`. */
  phaseAt(seq: number): Phase {
    const i = this.seqs.lastAtMost(seq);
    return (i < 0 ? Phase.notStarted : this.phases.at(i)) as Phase;
  }

  /** The seq of its first phase change after event `seq`, or -1 if it stays as it is to the end of the trace. */
  nextChangeAfter(seq: number): number {
    const i = this.seqs.firstAbove(seq);
    return i < this.seqs.length ? this.seqs.at(i) : -1;
  }

  /** The seq of its first `exception` after event `seq`, or -1. */
  exceptionAfter(seq: number): number {
    const i = this.exceptionSeqs.firstAbove(seq);
    return i < this.exceptionSeqs.length ? this.exceptionSeqs.at(i) : -1;
  }

  /** The seq of its last `block` at or before `seq`, or -1. */
  lastBlockAt(seq: number): number {
    const i = this.blockSeqs.lastAtMost(seq);
    return i < 0 ? -1 : this.blockSeqs.at(i);
  }

  private push(seq: number, t: number, phase: Phase): void {
    const n = this.seqs.length;
    if (n === 0) {
      this.runningBefore.push(0);
      this.blockedBefore.push(0);
      this.runnableBefore.push(0);
    } else {
      const prev = this.phases.at(n - 1);
      const d = Math.max(0, t - this.times.at(n - 1));
      this.runningBefore.push(this.runningBefore.at(n - 1) + (prev === Phase.running ? d : 0));
      this.blockedBefore.push(this.blockedBefore.at(n - 1) + (prev === Phase.blocked ? d : 0));
      this.runnableBefore.push(this.runnableBefore.at(n - 1) + (prev === Phase.runnable ? d : 0));
    }
    this.seqs.push(seq);
    this.times.push(t);
    this.phases.push(phase);
  }

  private columns(): GrowableF64[] {
    return [this.seqs, this.times, this.phases, this.runningBefore, this.blockedBefore, this.runnableBefore];
  }
}

/** All lanes, fed every event in order. */
export class LaneSet {
  private readonly byId = new Map<number, Lane>();
  /** Lanes in order of first mention. */
  readonly lanes: Lane[] = [];
  /** The running greenlet after the last event (0: none). */
  current = 0;

  get(g: number): Lane | undefined {
    return this.byId.get(g);
  }

  apply(ev: TraceEvent): void {
    const { seq, t } = ev;
    switch (ev.kind) {
      case 'spawn': {
        if (ev.g === 0) return;
        const lane = this.ensure(ev.g, seq, t);
        lane.gkind = ev.gkind;
        lane.spawnSeq = seq;
        lane.spawnTime = t;
        // The main greenlet is already running when the tracer first sees it.
        if (ev.gkind === 'main' && lane.phase === Phase.notStarted && (this.current === 0 || this.current === ev.g)) {
          lane.setPhase(Phase.running, seq, t);
          this.current = ev.g;
        }
        return;
      }
      case 'switch':
        return this.applySwitch(ev.from, ev.to, seq, t);
      case 'block': {
        const lane = this.live(ev.g, seq, t);
        if (lane === null) return;
        lane.blockSeqs.push(seq);
        lane.setPhase(Phase.blocked, seq, t);
        return;
      }
      case 'ready': {
        const lane = this.live(ev.g, seq, t);
        if (lane !== null && lane.phase !== Phase.running) lane.setPhase(Phase.runnable, seq, t);
        return;
      }
      case 'exit': {
        if (ev.g !== 0) this.ensure(ev.g, seq, t).setPhase(Phase.dead, seq, t);
        return;
      }
      case 'exception': {
        if (ev.g === 0) return;
        const lane = this.ensure(ev.g, seq, t);
        lane.exceptionTimes.push(t);
        lane.exceptionSeqs.push(seq);
        return;
      }
      // Nothing else changes a lane's phase.
      case 'rename': case 'object': case 'put': case 'get': case 'qsync': case 'set': case 'setexc': case 'clear':
      case 'acquire': case 'release': case 'mark': case 'error': case 'end': case 'observed': case 'named':
        return;
      default:
        assertNever(ev, 'event kind');
    }
  }

  private applySwitch(from: number, to: number, seq: number, t: number): void {
    if (from !== 0) this.leave(this.ensure(from, seq, t), seq, t);
    // Only one greenlet runs: one we thought was running is switched out too.
    if (this.current !== 0 && this.current !== from && this.current !== to) {
      const cur = this.byId.get(this.current);
      if (cur !== undefined) this.leave(cur, seq, t);
    }
    this.current = to;
    if (to === 0) return;
    const lane = this.ensure(to, seq, t);
    if (lane.phase !== Phase.dead) lane.setPhase(Phase.running, seq, t);
  }

  /** Switched out without a block: runnable; blocked and dead stay as they are. */
  private leave(lane: Lane, seq: number, t: number): void {
    const p = lane.phase;
    if (p === Phase.blocked || p === Phase.dead || p === Phase.runnable) return;
    lane.setPhase(Phase.runnable, seq, t);
  }

  /** A dead greenlet cannot wait or wake (the model counts that as an inconsistency). */
  private live(g: number, seq: number, t: number): Lane | null {
    if (g === 0) return null;
    const lane = this.ensure(g, seq, t);
    return lane.phase === Phase.dead ? null : lane;
  }

  private ensure(g: number, seq: number, t: number): Lane {
    let lane = this.byId.get(g);
    if (lane === undefined) {
      lane = new Lane(g, seq, t);
      this.byId.set(g, lane);
      this.lanes.push(lane);
    }
    return lane;
  }
}
