/**
 * One process's trace on the board: its model, the index the views draw
 * from and its findings, fed each event once. A board has one; the
 * side-by-side board of a recording that followed children has one per
 * process and shows one of them (its focus) in its tables and graphs.
 */

import { FindingsEngine } from '../shared/analysis/engine';
import { TraceModel } from '../shared/model/trace-model';
import type { Header, TraceEvent } from '../shared/trace/events';
import { TraceIndex } from './derived/trace-index';

/**
 * Random access replays at most this many events from a checkpoint (a few
 * ms), while 200k events keep only ~50 checkpoints, which share unchanged
 * records with each other.
 */
export const CHECKPOINT_INTERVAL = 4096;

export class ProcessData {
  readonly model = new TraceModel({ checkpointInterval: CHECKPOINT_INTERVAL });
  readonly index = new TraceIndex();
  /** The findings (Findings tab) and who touched what (the wait-for graph's wakers). */
  readonly findings = new FindingsEngine();
  /** Its trace's header once decoded: the program line, and t0 for the shared time axis. */
  header: Header | null = null;
  /** Why its trace could not be read (fully), in words. */
  problem: string | null = null;
  /** Its greenlets (id, label) in id order as of its newest event, for its lanes when it is not the focus. */
  private lanesCache: { count: number; list: readonly { id: number; label: string }[] } | null = null;

  constructor(readonly label: string) {}

  apply(ev: TraceEvent): void {
    this.model.append(ev);
    this.index.apply(ev);
    this.findings.apply(ev);
  }

  greenlets(): readonly { id: number; label: string }[] {
    const count = this.model.eventCount;
    if (this.lanesCache?.count !== count) {
      const list = count === 0 ? [] : this.model.latest().greenlets.map((g) => ({ id: g.id, label: g.label })).sort((a, b) => a.id - b.id);
      this.lanesCache = { count, list };
    }
    return this.lanesCache.list;
  }
}
