/**
 * What every view is given to draw: one consistent picture of the trace at
 * the cursor (computed once per animation frame by app.ts), and the actions
 * a view may take. Views never reach into the model or the store directly.
 */

import type { GreenletView, TraceState } from '../shared/model/state';
import type { TraceModel } from '../shared/model/trace-model';
import type { BoardCommand } from '../shared/protocol/board-messages';
import type { DeadlockVerdict } from '../shared/analysis/deadlock';
import type { Finding } from '../shared/analysis/finding';
import type { WhyAnswer } from '../shared/analysis/why';
import type { TraceIndex } from './derived/trace-index';
import type { WaitGraph } from '../shared/analysis/waitgraph';
import type { BoardState } from './state/board-state';

export interface GreenletRow {
  readonly g: GreenletView;
  readonly stateText: string;
  /** Microseconds up to the cursor. */
  readonly running: number;
  readonly waiting: number;
  readonly runnable: number;
}

export interface SessionInfo {
  /** A live debug session: the run controls work. */
  readonly live: boolean;
  readonly ended: boolean;
  /** The last stop's description while stopped. */
  readonly stop: string | null;
  /**
   * While a live session is stopped on a deadlock the runtime found: its
   * description. The runtime stops as the hub throws LoopExit into the waiter,
   * which the model shows running again, so the model's own verdict misses it.
   */
  readonly stuck: string | null;
  readonly dropped: number;
  /**
   * A live board well behind its program (a running board works only part of
   * the time, webview/feed.ts): 'running' while the program runs, 'stopped'
   * once it stopped and the board has not reached the stop yet; else null.
   */
  readonly catchingUp: 'running' | 'stopped' | null;
  /** Loading progress 0..1, or null when not loading. */
  readonly loading: number | null;
  /** A problem worth showing (decode errors, host errors). */
  readonly notice: string | null;
  /** Why the trace could not be read (fully), in words; null when it was fine. */
  readonly problem: string | null;
  /** Where the trace came from, for the header: the program's argv. */
  readonly program: string | null;
  /** What it ran on: Python, gevent and greenlet versions (shared/runtime-versions.ts). */
  readonly runtime: string | null;
}

export interface Frame {
  readonly model: TraceModel;
  readonly index: TraceIndex;
  readonly board: BoardState;
  readonly session: SessionInfo;
  /** Events so far. */
  readonly count: number;
  /** The event shown; -1 when there is none yet. */
  readonly cursor: number;
  /** Its time (µs since t0). */
  readonly cursorTime: number;
  readonly state: TraceState;
  /** Greenlets after the table's filters, in its sort order (the timeline's lanes too). */
  readonly rows: readonly GreenletRow[];
  /** Greenlet labels by id, for chips. */
  readonly labels: ReadonlyMap<number, string>;
  readonly graph: WaitGraph;
  readonly deadlock: DeadlockVerdict | null;
  /** The findings as of the newest event (null until first computed: they are worked out while the Findings tab shows, or now and then). */
  readonly findings: readonly Finding[] | null;
  /** Why the selected greenlet is not running, at the cursor (only while the Findings tab shows). */
  readonly why: WhyAnswer | null;
  /** Changes whenever the state shown changes (cursor or events), so views can skip work. */
  readonly stateKey: string;
  /** On the side-by-side board of a recording's processes: every process, on one time axis; null elsewhere. */
  readonly together: Together | null;
}

/** One process on the side-by-side board's time axis. */
export interface TogetherProcess {
  /** `pid N (forked from M)` (shared/present/process-words.ts). */
  readonly label: string;
  readonly index: TraceIndex;
  /** Microseconds from the earliest process's t0 to this one's: its times plus this are the shared axis. */
  readonly offset: number;
  /** Its events so far. */
  readonly count: number;
  /** Its greenlets in id order as of its newest event (its lanes when it is not the focus). */
  greenlets(): readonly { readonly id: number; readonly label: string }[];
}

export interface Together {
  readonly processes: readonly TogetherProcess[];
  /** The process the rest of the frame (model, index, state, rows) is of. */
  readonly focus: number;
}

export type CursorMove = 'first' | 'prevSwitch' | 'nextSwitch' | 'last' | 'prevOfGreenlet' | 'nextOfGreenlet';

export interface BoardActions {
  /** Selects a greenlet everywhere (and in VS Code reveals its line). */
  select(g: number | null): void;
  /** Moves the cursor to an event; null follows the newest. */
  setCursor(seq: number | null): void;
  /** Moves the cursor; false when it could not move (at an end, nothing selected). */
  move(move: CursorMove): boolean;
  update(patch: Partial<BoardState>): void;
  command(command: BoardCommand): void;
  /** Moves the cursor to where a finding became true, selects its greenlet and (in VS Code) opens its line. */
  showFinding(finding: Finding): void;
  /** Side by side: shows process `p` in the tables and graphs, greenlet `g` selected, the cursor on its event `seq` (null: its last). */
  focusProcess(p: number, g: number | null, seq: number | null): void;
}

export interface View {
  render(frame: Frame): void;
  /**
   * Laying it out costs tens to hundreds of ms at a thousand greenlets (a
   * force simulation, a tree): while a live program runs it is redrawn at
   * most every HEAVY_RUNNING_MS, not with every batch of events.
   */
  readonly heavy?: boolean;
}
