/**
 * Everything the board derives from the event stream besides the model's
 * state and the findings' facts (who touched each queue, for the wait-for
 * graph's "could wake it" edges, is shared/analysis/facts.ts): the
 * timeline's lanes and where the switches are (for prev/next switch). Fed
 * each event once, in order, right after TraceModel.append, so no view ever
 * rescans the events.
 */

import { assertNever } from '../../shared/assert-never';
import type { TraceEvent } from '../../shared/trace/events';
import { GrowableF64 } from './growable';
import { LaneSet } from './segments';

export class TraceIndex {
  readonly lanes = new LaneSet();
  /** Seqs of `switch` events, ascending. */
  readonly switchSeqs = new GrowableF64();
  /** Their times, for the timeline's switch connectors on the time axis. */
  readonly switchTimes = new GrowableF64();
  /** Event times by seq (the model's log has them too, but one call per probe costs more in a binary search). */
  readonly times = new GrowableF64(1024);
  /** Per greenlet, the seqs of events that involve it (switches into/out of it, its block/ready/exit/exception), ascending. */
  private readonly involved = new Map<number, GrowableF64>();
  private count = 0;
  private firstTime = 0;
  private spawned: { readonly time: number; readonly seq: number } | null = null;
  private lastTime = 0;

  get eventCount(): number {
    return this.count;
  }

  /** Time of the first and last event (µs since the trace's t0). */
  get timeRange(): readonly [number, number] {
    return [this.firstTime, this.lastTime];
  }

  /**
   * Where the program's first greenlet (not main, not the hub) was spawned:
   * the timeline starts there, since what comes before is the interpreter
   * starting and the program importing. Null until one is.
   */
  get firstSpawn(): { readonly time: number; readonly seq: number } | null {
    return this.spawned;
  }

  apply(ev: TraceEvent): void {
    if (this.count === 0) this.firstTime = ev.t;
    if (this.spawned === null && ev.kind === 'spawn' && ev.gkind !== 'main' && ev.gkind !== 'hub') this.spawned = { time: ev.t, seq: ev.seq };
    this.lastTime = ev.t;
    this.count++;
    if (ev.kind === 'switch') {
      this.switchSeqs.push(ev.seq);
      this.switchTimes.push(ev.t);
    }
    this.times.push(ev.t);
    for (const g of involvedIn(ev)) {
      let seqs = this.involved.get(g);
      if (seqs === undefined) {
        seqs = new GrowableF64();
        this.involved.set(g, seqs);
      }
      if (seqs.length === 0 || seqs.last() !== ev.seq) seqs.push(ev.seq);
    }
    this.lanes.apply(ev);
  }

  /** The last event at or before time `t` (0 when t is before the first). */
  seqAtTime(t: number): number {
    return Math.max(0, this.times.lastAtMost(t));
  }

  /** Switch events at or before `seq` (the status line's "switch K"). */
  switchesThrough(seq: number): number {
    return this.switchSeqs.lastAtMost(seq) + 1;
  }

  /** The last switch strictly before `seq`, or null. */
  prevSwitch(seq: number): number | null {
    const i = this.switchSeqs.lastAtMost(seq - 1);
    return i < 0 ? null : this.switchSeqs.at(i);
  }

  /** The first switch strictly after `seq`, or null. */
  nextSwitch(seq: number): number | null {
    const i = this.switchSeqs.firstAbove(seq);
    return i >= this.switchSeqs.length ? null : this.switchSeqs.at(i);
  }

  /** The first event after `seq` that involves greenlet `g`, or null. */
  nextOf(g: number, seq: number): number | null {
    const seqs = this.involved.get(g);
    if (seqs === undefined) return null;
    const i = seqs.firstAbove(seq);
    return i >= seqs.length ? null : seqs.at(i);
  }

  /** The last event before `seq` that involves greenlet `g`, or null. */
  prevOf(g: number, seq: number): number | null {
    const seqs = this.involved.get(g);
    if (seqs === undefined) return null;
    const i = seqs.lastAtMost(seq - 1);
    return i < 0 ? null : seqs.at(i);
  }

}

/** The greenlets an event involves, for next/previous event of a greenlet. */
export function involvedIn(ev: TraceEvent): number[] {
  switch (ev.kind) {
    case 'switch': return ev.from === ev.to ? [ev.from] : [ev.from, ev.to];
    case 'block': case 'ready': case 'exit': case 'exception': return [ev.g];
    case 'spawn': case 'rename': case 'object': case 'put': case 'get': case 'qsync': case 'set': case 'setexc': case 'clear':
    case 'acquire': case 'release': case 'mark': case 'error': case 'end': case 'observed': case 'named':
      return [];
    default: return assertNever(ev, 'event kind');
  }
}
