/**
 * Everything the board derives from the event stream besides the model's
 * state: the timeline's lanes, where the switches are (for prev/next
 * switch), and who has put into / got from each queue (for the wait-for
 * graph's "could wake it" edges). Fed each event once, in order, right after
 * TraceModel.append, so no view ever rescans the events.
 */

import { assertNever } from '../../shared/assert-never';
import type { BlockReason, TraceEvent } from '../../shared/trace/events';
import { GrowableF64 } from './growable';
import { LaneSet } from './segments';

/** Greenlets that did something to a queue, each with the seq it first did it. */
type Actors = Map<number, number>;

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
  private readonly putters = new Map<number, Actors>();
  private readonly getters = new Map<number, Actors>();
  private count = 0;
  private firstTime = 0;
  private lastTime = 0;

  get eventCount(): number {
    return this.count;
  }

  /** Time of the first and last event (µs since the trace's t0). */
  get timeRange(): readonly [number, number] {
    return [this.firstTime, this.lastTime];
  }

  apply(ev: TraceEvent): void {
    if (this.count === 0) this.firstTime = ev.t;
    this.lastTime = ev.t;
    this.count++;
    // Who put or got is whoever runs when the record is written: read it before the lanes move on.
    if (ev.kind === 'put') note(this.putters, ev.obj, this.lanes.current, ev.seq);
    else if (ev.kind === 'get') note(this.getters, ev.obj, this.lanes.current, ev.seq);
    else if (ev.kind === 'switch') {
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

  /**
   * Greenlets that could end a wait of `reason` on queue `obj`, as far as
   * events up to `seq` tell: those who have put into it wake its getters,
   * those who have got from it wake its putters. The hub is left out: it
   * only moves a blocked putter's item on that putter's behalf.
   */
  queueWakers(obj: number, reason: BlockReason, seq: number): number[] {
    const table = reason === 'queue_get' ? this.putters : reason === 'queue_put' ? this.getters : null;
    const actors = table?.get(obj);
    if (actors === undefined) return [];
    const out: number[] = [];
    for (const [g, first] of actors) {
      if (first <= seq && this.lanes.get(g)?.gkind !== 'hub') out.push(g);
    }
    return out.sort((a, b) => a - b);
  }
}

function note(table: Map<number, Actors>, obj: number, g: number, seq: number): void {
  if (g === 0) return;
  let actors = table.get(obj);
  if (actors === undefined) {
    actors = new Map();
    table.set(obj, actors);
  }
  if (!actors.has(g)) actors.set(g, seq);
}

/** The greenlets an event involves, for next/previous event of a greenlet. */
export function involvedIn(ev: TraceEvent): number[] {
  switch (ev.kind) {
    case 'switch': return ev.from === ev.to ? [ev.from] : [ev.from, ev.to];
    case 'block': case 'ready': case 'exit': case 'exception': return [ev.g];
    case 'spawn': case 'rename': case 'object': case 'put': case 'get': case 'qsync': case 'set': case 'setexc': case 'clear':
    case 'acquire': case 'release': case 'mark': case 'error': case 'end':
      return [];
    default: return assertNever(ev, 'event kind');
  }
}
