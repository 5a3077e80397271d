/**
 * Replay of a recorded trace: the trace loaded once into a TraceModel and a
 * cursor that sits on one `switch` event. Moving the cursor is a search over
 * precomputed switch positions; the state at the cursor comes from
 * model.stateAt (checkpointed), so each step costs at most one checkpoint
 * interval of replay. No DAP here: debug-adapter/target/replay-target.ts
 * translates.
 */
import { messageOf } from '../../shared/errors';
import * as path from 'path';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceState } from '../../shared/model/state';
import type { Frame, Header, SwitchEvent, TraceEvent } from '../../shared/trace/events';
import { readTraceFile } from '../../shared/trace/read-file';
import { traceProblemText } from '../../shared/present/trace-problem';
import type { ReplayPosition, StopInfo } from '../../shared/protocol/stop';
import { AdapterError, AdapterErrorId } from '../errors';

/** Breakpoint lines by absolute file path. */
export type ReplayBreakpoints = ReadonlyMap<string, ReadonlySet<number>>;

export interface OpenedReplay {
  readonly replay: TraceReplay;
  /** Said to the user once: the trace was cut short (truncated or corrupt) and opens up to its last whole event. */
  readonly note: string | null;
}

export class TraceReplay {
  /** The switch events, in order; the cursor is an index into this. */
  private readonly switches: SwitchEvent[] = [];
  /** Per switch: where the greenlet switched into resumes (the site of its last block before it), or null. */
  private readonly resumeSites: (Frame | null)[] = [];
  /** Per greenlet: its block events (seq and stack), in order. */
  private readonly blocks = new Map<number, { seq: number; stack: readonly Frame[] }[]>();
  private index = 0;
  private cached: { index: number; state: TraceState } | null = null;

  private constructor(
    readonly model: TraceModel,
    readonly header: Header | null,
  ) {
    const lastSite = new Map<number, Frame | null>();
    for (let seq = 0; seq < model.eventCount; seq++) {
      const ev: TraceEvent = model.event(seq);
      if (ev.kind === 'block') {
        lastSite.set(ev.g, ev.site);
        let list = this.blocks.get(ev.g);
        if (list === undefined) this.blocks.set(ev.g, (list = []));
        list.push({ seq: ev.seq, stack: ev.stack });
      } else if (ev.kind === 'switch') {
        this.switches.push(ev);
        this.resumeSites.push(lastSite.get(ev.to) ?? null);
      }
    }
  }

  /** Loads a trace file; a missing, unreadable or empty one is an AdapterError (TraceReadFailed). */
  static async open(file: string): Promise<OpenedReplay> {
    let read;
    try {
      read = await readTraceFile(file);
    } catch (err) {
      throw new AdapterError(AdapterErrorId.TraceReadFailed, `cannot replay ${file}: ${messageOf(err)}`);
    }
    if (read.header === null || read.events.length === 0) {
      const why = read.problem !== null ? read.problem.message : 'it holds no events';
      throw new AdapterError(AdapterErrorId.TraceReadFailed, `cannot replay ${file}: ${why}`);
    }
    const model = new TraceModel();
    model.appendAll(read.events);
    const replay = new TraceReplay(model, read.header);
    if (replay.switchCount === 0) {
      throw new AdapterError(AdapterErrorId.TraceReadFailed, `cannot replay ${file}: it records no greenlet switch`);
    }
    const note = read.problem !== null ? `Greenlet Lens: ${path.basename(file)}: ${traceProblemText(read.problem, read.events.length, 'replayed')}\n` : null;
    return { replay, note };
  }

  get switchCount(): number {
    return this.switches.length;
  }

  /** 0-based index of the switch under the cursor. */
  get position(): number {
    return this.index;
  }

  get current(): SwitchEvent {
    return this.switches[this.index]!;
  }

  /** The recorded state right after the switch under the cursor. */
  state(): TraceState {
    if (this.cached === null || this.cached.index !== this.index) {
      this.cached = { index: this.index, state: this.model.stateAt(this.current.seq) };
    }
    return this.cached.state;
  }

  /** The stop at the cursor: the switch under it and where it is (worded by shared/present/stop-words.ts). */
  stopHere(reason: 'entry' | 'switch' | 'breakpoint', edge: ReplayPosition['edge'] = null): StopInfo {
    const s = this.current;
    return { reason, g: s.to, seq: s.seq, from: s.from, to: s.to, replay: { index: this.index, count: this.switchCount, edge } };
  }

  /**
   * The recorded frames of greenlet `g` at the cursor, innermost first: for
   * the greenlet switched into, the stack of its next block (where it runs
   * to), else of its last; for any other, the stack of its last block at or
   * before the cursor. Empty when nothing was recorded (the hub, a greenlet
   * that never blocked).
   */
  stackOf(g: number): readonly Frame[] {
    const list = this.blocks.get(g);
    if (list === undefined || list.length === 0) return [];
    const seq = this.current.seq;
    // The first block after the cursor (seq of a switch is never a block's).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    if (g === this.current.to && lo < list.length) return list[lo]!.stack;
    return lo > 0 ? list[lo - 1]!.stack : [];
  }

  /** Moves to the next switch; false (cursor unchanged) at the last. */
  stepForward(): boolean {
    if (this.index + 1 >= this.switchCount) return false;
    this.index++;
    return true;
  }

  /** Moves to the previous switch; false (cursor unchanged) at the first. */
  stepBack(): boolean {
    if (this.index === 0) return false;
    this.index--;
    return true;
  }

  /** To the next breakpoint hit (true), else to the last switch (false). */
  continueForward(bps: ReplayBreakpoints): boolean {
    for (let i = this.index + 1; i < this.switchCount; i++) {
      if (this.hits(i, bps)) {
        this.index = i;
        return true;
      }
    }
    this.index = this.switchCount - 1;
    return false;
  }

  /** To the previous breakpoint hit (true), else to the first switch (false). */
  continueBackward(bps: ReplayBreakpoints): boolean {
    for (let i = this.index - 1; i >= 0; i--) {
      if (this.hits(i, bps)) {
        this.index = i;
        return true;
      }
    }
    this.index = 0;
    return false;
  }

  /** Whether switch `i` resumes a greenlet at a breakpoint line. */
  hits(i: number, bps: ReplayBreakpoints): boolean {
    const site = this.resumeSites[i];
    if (site === null || site === undefined) return false;
    return bps.get(path.resolve(site.file))?.has(site.line) ?? false;
  }
}
