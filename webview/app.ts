/**
 * The board's controller: owns the TraceModel, the TraceIndex and the
 * board store, turns them into one Frame per animation frame, and hands it
 * to every view. Views act only through BoardActions.
 */

import { messageOf } from '../shared/errors';
import { isLoopExit } from '../shared/model/loop-exit';
import type { TraceModel } from '../shared/model/trace-model';
import type { TraceState } from '../shared/model/state';
import type { BoardBoot, BoardCommand } from '../shared/protocol/board-messages';
import type { Frame as SourceFrame, TraceEvent } from '../shared/trace/events';
import { deadlockVerdict, type DeadlockVerdict } from '../shared/analysis/deadlock';
import type { FindingsEngine } from '../shared/analysis/engine';
import type { Finding } from '../shared/analysis/finding';
import type { WhyAnswer } from '../shared/analysis/why';
import { buildWaitGraph, type WaitGraph } from '../shared/analysis/waitgraph';
import type { TraceIndex } from './derived/trace-index';
import { describeRuntime } from '../shared/runtime-versions';
import type { BoardActions, CursorMove, Frame, GreenletRow, SessionInfo, Together, View } from './frame';
import type { BoardHost } from './host';
import { pacedByIdle, whenIdle } from './feed';
import { CHECKPOINT_INTERVAL, ProcessData } from './process-data';
import { buildRows } from './rows';
import { BoardStore } from './state/store';
import { ControlsView } from './view/controls';
import { setAttr, setHidden, setText } from './view/dom';
import { GreenletsTable } from './view/greenlets-table';
import { GreenletGroupsView } from './view/greenlet-groups';
import { FindingsView } from './view/findings';
import { buildLayout, showTab, type Layout } from './view/layout';
import { ObjectsView } from './view/objects';
import { SpawnTreeView } from './view/spawntree';
import { TimelineView } from './view/timeline';
import { WaitGraphView } from './view/waitgraph';

export { CHECKPOINT_INTERVAL };
/** While loading, every view is redrawn at most this often (ms). */
const LOADING_FRAME_MS = 400;
/**
 * While a live program runs (or its board catches up), new events redraw
 * the views and the status line at most this often (ms); the user's own
 * changes (a click, a scroll) draw at the next frame.
 */
const RUNNING_FRAME_MS = 250;
/** While a live program runs, heavy views (View.heavy) are redrawn at most this often (ms). */
const HEAVY_RUNNING_MS = 2000;
/**
 * After a stop the heavy views wait this long (ms) before they are laid out
 * again: VS Code is then asking for the stop's threads and stack, one round
 * trip after another, and a few hundred ms of layout landing between two of
 * them delayed the stop's showing by as much.
 */
const STOP_SETTLE_MS = 1000;
/** Outside the Findings tab the findings (its count) are worked out at most this often (ms). */
const FINDINGS_EVERY_MS = 1000;

type Session = { -readonly [K in keyof SessionInfo]: SessionInfo[K] };

interface StateCache {
  readonly key: string;
  readonly state: TraceState;
  readonly graph: WaitGraph;
  readonly deadlock: DeadlockVerdict | null;
  readonly labels: Map<number, string>;
}

export class BoardApp {
  /**
   * The processes shown: one, or (the side-by-side board) every process of
   * a recording that followed children, the program's first.
   */
  readonly processes: ProcessData[];
  /** The process the tables, graphs and controls show (its lanes are the timeline's selectable ones). */
  private focus = 0;
  /** Told when the focus moves to another process. */
  onFocus: (p: ProcessData) => void = () => undefined;
  readonly store: BoardStore;
  readonly session: Session;
  readonly actions: BoardActions;
  private readonly layout: Layout;
  private readonly views: View[];
  private renderPending = false;
  private lastFullRender = 0;
  private fullRenderTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly controls: ControlsView;
  private stateCache: StateCache | null = null;
  private rowsCache: { key: string; rows: GreenletRow[] } | null = null;
  private findingsCache: { count: number; at: number; list: readonly Finding[] } | null = null;
  private whyCache: { key: string; why: WhyAnswer | null } | null = null;
  private findingsTimer: ReturnType<typeof setTimeout> | null = null;
  private frame: Frame | null = null;
  /** Set data-ready after the next frame (the first, or the first once loading ends). */
  private readyDue = false;
  /** The next frame draws everything: the board state changed (the user did something). */
  private userDue = false;
  private lastHeavyRender = 0;
  /** Events or bytes still wait to be applied (a live board catching up); set by the feed's owner. */
  behind: () => boolean = () => false;
  /** Until then (performance.now()) the views are drawn as while running: a stop is settling in VS Code. */
  private settleUntil = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(root: HTMLElement, boot: BoardBoot, private readonly host: BoardHost) {
    const together = boot.source === 'fetch' ? boot.together ?? [] : [];
    this.processes = together.length > 1 ? together.map((t) => new ProcessData(t.label)) : [new ProcessData(boot.title)];
    const about = boot.source === 'host' ? { ...(boot.session !== undefined ? { session: boot.session } : {}), ...(boot.trace !== undefined ? { trace: boot.trace } : {}) } : {};
    this.store = new BoardStore(host.storage, { about });
    this.session = {
      live: boot.source === 'host' && boot.mode === 'live', ended: false, stop: null, stuck: null, dropped: 0, catchingUp: null,
      loading: null, notice: null, problem: null, program: null, runtime: null,
    };
    this.actions = {
      select: (g) => this.select(g),
      setCursor: (seq) => this.store.update({ cursor: seq }),
      move: (m) => this.move(m),
      update: (patch) => this.store.update(patch),
      command: (c) => this.command(c),
      showFinding: (f) => this.showFinding(f),
      focusProcess: (p, g, seq) => this.focusProcess(p, g, seq),
    };
    this.layout = buildLayout(root, boot.title, (tab) => this.store.update({ tab }));
    const { panes } = this.layout;
    this.controls = new ControlsView(this.layout.controls, this.layout.status, this.actions);
    this.views = [
      this.controls,
      new TimelineView(panes.timeline.body, panes.timeline.tools, this.actions),
      new GreenletsTable(panes.greenlets.body, panes.greenlets.tools, this.actions),
      new GreenletGroupsView(panes.greenlets.body, this.actions),
      new WaitGraphView(panes.waitgraph.body, panes.waitgraph.tools, this.actions),
      new ObjectsView(panes.objects.body, this.actions),
      new SpawnTreeView(panes.spawntree.body, panes.spawntree.tools, this.actions),
      new FindingsView(panes.findings.body, this.actions),
    ];
    this.store.subscribe(() => {
      this.userDue = true;
      this.scheduleRender();
    });
    addEventListener('pagehide', () => this.store.flush());
  }

  /** The shown process's model, index and findings. */
  get model(): TraceModel {
    return this.processes[this.focus]!.model;
  }

  get index(): TraceIndex {
    return this.processes[this.focus]!.index;
  }

  get findings(): FindingsEngine {
    return this.processes[this.focus]!.findings;
  }

  get focused(): ProcessData {
    return this.processes[this.focus]!;
  }

  /** Feeds one decoded event (in board numbering) of the first (or only) process to its model and index. */
  apply(ev: TraceEvent): void {
    this.processes[0]!.apply(ev);
  }

  /**
   * The side-by-side board shows process `p` in its tables and graphs,
   * greenlet `g` selected and the cursor on event `seq` of its trace (null:
   * its last); the program line names it.
   */
  focusProcess(p: number, g: number | null, seq: number | null): void {
    if (p < 0 || p >= this.processes.length) return;
    if (p !== this.focus) {
      this.focus = p;
      this.stateCache = null;
      this.rowsCache = null;
      this.findingsCache = null;
      this.whyCache = null;
      this.showHeader();
      this.onFocus(this.focused);
    }
    this.store.update({ selected: g, cursor: seq });
  }

  /** The program line and runtime of the shown process, from its trace's header. */
  showHeader(): void {
    const header = this.focused.header;
    this.session.program = header === null ? null : header.argv.join(' ');
    this.session.runtime = header === null ? null : describeRuntime(header);
  }

  /**
   * Draws at the next animation frame; data-ready follows it when `ready` is
   * set. While a trace loads, a live program runs or the board catches up
   * with one, views are redrawn at most every LOADING_FRAME_MS or
   * RUNNING_FRAME_MS, and no frame is even asked for before then: each
   * frame that changes the board (even its status line) is laid out,
   * painted and layerized with the whole workbench around it.
   */
  scheduleRender(ready = false): void {
    this.readyDue ||= ready;
    if (this.renderPending) return;
    const s = this.session;
    const settling = performance.now() < this.settleUntil;
    const busy = s.live && !s.ended && (s.stop === null || this.behind() || settling);
    const every = s.loading !== null ? LOADING_FRAME_MS : busy ? RUNNING_FRAME_MS : 0;
    const wait = every - (performance.now() - this.lastFullRender);
    if (!this.readyDue && !this.userDue && wait > 0) {
      this.fullRenderTimer ??= setTimeout(() => {
        this.fullRenderTimer = null;
        this.scheduleRender();
      }, wait);
      return;
    }
    this.renderPending = true;
    const draw = (): void => void requestAnimationFrame(() => {
      this.renderPending = false;
      const now = performance.now();
      this.lastFullRender = now;
      const heavy = this.userDue || !busy || now - this.lastHeavyRender >= HEAVY_RUNNING_MS;
      if (heavy) this.lastHeavyRender = now;
      this.userDue = false;
      this.render(heavy);
    });
    // A live board's own redraws (new events, a stop) wait for idle time: the stop's
    // redraw of a thousand greenlets must not delay VS Code's showing that stop. The user's own changes draw at once.
    if (pacedByIdle() && !this.userDue && !this.readyDue) whenIdle(draw);
    else draw();
  }

  /** A live session stopped: its views are drawn as while running until the stop has settled in VS Code, then all of them. */
  settleStop(): void {
    this.settleUntil = performance.now() + STOP_SETTLE_MS;
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.scheduleRender();
    }, STOP_SETTLE_MS);
  }

  /** Draws every view; `heavy` false leaves the heavy ones as they are. */
  private render(heavy = true): void {
    const frame = this.computeFrame();
    this.frame = frame;
    // Only real changes touch the DOM: rewriting even an equal value dirties
    // the layout of everything below it.
    showTab(this.layout, frame.board.tab);
    setText(this.layout.program, this.session.program ?? '');
    setText(this.layout.runtime, this.session.runtime ?? '');
    setHidden(this.layout.notice, this.session.notice === null);
    setText(this.layout.notice, this.session.notice ?? '');
    setHidden(this.layout.problem, this.session.problem === null);
    setText(this.layout.problem, this.session.problem ?? '');
    const stuck = frame.deadlock?.text ?? this.session.stuck;
    setHidden(this.layout.banner, stuck === null);
    setText(this.layout.banner, stuck ?? '');
    setAttr(document.body, 'data-loading', this.session.loading !== null ? 'true' : 'false');
    for (const view of this.views) {
      if (view.heavy === true && !heavy) continue;
      try {
        view.render(frame);
      } catch (err) {
        this.fail(err);
      }
    }
    if (this.readyDue) {
      this.readyDue = false;
      setAttr(document.body, 'data-ready', 'true');
    }
  }

  private computeFrame(): Frame {
    const board = this.store.state;
    const count = this.model.eventCount;
    const cursor = this.cursor();
    const stateKey = `${cursor}/${count}`;
    let cache = this.stateCache;
    if (cache === null || cache.key !== stateKey) {
      const state = this.model.stateAt(cursor);
      const wokenLater = (g: number): boolean => this.wokenLater(g, cursor);
      // Every greenlet: the wait-for graph view groups alike ones and picks what to draw (derived/waitgraph-groups.ts).
      const graph = buildWaitGraph(state, (obj, reason) => this.findings.facts.queueWakers(obj, reason, cursor), wokenLater, Number.MAX_SAFE_INTEGER);
      cache = {
        key: stateKey, state, graph, deadlock: deadlockVerdict(state, graph, wokenLater),
        labels: new Map(state.greenlets.map((g) => [g.id, g.label])),
      };
      this.stateCache = cache;
    }
    const cursorTime = cursor < 0 ? 0 : this.index.times.at(cursor);
    const rowsKey = `${stateKey}|${board.filter}|${board.stateFilter}|${board.sort.column}|${board.sort.descending}`;
    if (this.rowsCache === null || this.rowsCache.key !== rowsKey) {
      this.rowsCache = { key: rowsKey, rows: buildRows(cache.state, this.index, cursor, cursorTime, board) };
    }
    const findings = this.currentFindings(board.tab === 'findings');
    setText(this.layout.findingsTab, findings === null || findings.length === 0 ? 'Findings' : `Findings (${findings.length})`);
    let why: WhyAnswer | null = null;
    if (board.tab === 'findings' && board.selected !== null && cursor >= 0) {
      const whyKey = `${stateKey}|${board.selected}`;
      if (this.whyCache?.key !== whyKey) this.whyCache = { key: whyKey, why: this.findings.why(cache.state, board.selected) };
      why = this.whyCache.why;
    }
    return {
      model: this.model, index: this.index, board, session: { ...this.session }, count, cursor, cursorTime,
      state: cache.state, rows: this.rowsCache.rows, labels: cache.labels, graph: cache.graph,
      deadlock: cache.deadlock, findings, why, stateKey: `${this.focus}:${stateKey}`, together: this.together(),
    };
  }

  /**
   * The side-by-side board's processes on one time axis: each trace counts
   * its times from its own t0 on the machine's monotonic clock (shared by
   * every process), so each is moved by its t0's distance from the earliest.
   */
  private together(): Together | null {
    if (this.processes.length < 2) return null;
    const t0s = this.processes.map((p) => p.header?.t0 ?? null);
    const known = t0s.filter((t): t is number => t !== null);
    const first = known.length === 0 ? 0 : Math.min(...known);
    return {
      focus: this.focus,
      processes: this.processes.map((p, i) => ({
        label: p.label, index: p.index, offset: (t0s[i] ?? first) - first, count: p.model.eventCount,
        greenlets: () => p.greenlets(),
      })),
    };
  }

  /**
   * The findings as of the newest event: worked out again for every new
   * event while the Findings tab shows, else at most once a second (for the
   * tab's count), and not while a trace loads.
   */
  private currentFindings(shown: boolean): readonly Finding[] | null {
    const count = this.model.eventCount;
    const cached = this.findingsCache;
    if (count === 0 || (cached !== null && cached.count === count)) return cached?.list ?? null;
    const now = performance.now();
    if (!shown && (this.session.loading !== null || (cached !== null && now - cached.at < FINDINGS_EVERY_MS))) {
      if (cached !== null || this.session.loading !== null) this.scheduleFindings();
      return cached?.list ?? null;
    }
    this.findingsCache = { count, at: now, list: this.findings.check(this.model.latest()) };
    return this.findingsCache.list;
  }

  /** Draws again once the findings are due, so the count catches up with a trace that stopped changing. */
  private scheduleFindings(): void {
    this.findingsTimer ??= setTimeout(() => {
      this.findingsTimer = null;
      this.scheduleRender();
    }, FINDINGS_EVERY_MS);
  }

  private showFinding(f: Finding): void {
    const g = f.greenlets[0] ?? null;
    this.store.update({ cursor: Math.min(f.seq, this.model.eventCount - 1), selected: g });
    const site = f.sites[0] ?? null;
    if (this.host.inVsCode && g !== null) this.host.post({ type: 'revealGreenlet', g, file: site?.file ?? null, line: site?.line ?? null });
  }

  /**
   * Whether greenlet `g`, blocked after event `cursor`, is woken by a later
   * event. gevent's answer to a deadlock is LoopExit thrown into the waiter:
   * that wake confirms the deadlock rather than ending it.
   */
  private wokenLater(g: number, cursor: number): boolean {
    const lane = this.index.lanes.get(g);
    if (lane === undefined || lane.nextChangeAfter(cursor) < 0) return false;
    const ex = lane.exceptionAfter(cursor);
    if (ex >= 0) {
      const ev = this.model.event(ex);
      if (ev.kind === 'exception' && isLoopExit(ev.type)) return false;
    }
    return true;
  }

  private move(m: CursorMove): boolean {
    const cursor = this.cursor();
    if (cursor < 0) return false;
    const last = this.model.eventCount - 1;
    const g = this.store.state.selected;
    let next: number | null = cursor;
    switch (m) {
      case 'first': next = 0; break;
      case 'last': next = null; break;
      case 'prevSwitch': next = this.index.prevSwitch(cursor) ?? cursor; break;
      case 'nextSwitch': next = this.index.nextSwitch(cursor) ?? cursor; break;
      case 'prevOfGreenlet': next = g === null ? cursor : this.index.prevOf(g, cursor) ?? cursor; break;
      case 'nextOfGreenlet': next = g === null ? cursor : this.index.nextOf(g, cursor) ?? cursor; break;
    }
    this.store.update({ cursor: next });
    return (next ?? last) !== cursor;
  }

  private command(command: BoardCommand): void {
    if (!this.session.live) return;
    this.host.post({ type: 'command', command });
  }

  /** Selects everywhere; in VS Code also reveals where the greenlet is (its last wait, else its spawn). */
  private select(g: number | null): void {
    this.store.update({ selected: g });
    const cursor = this.cursor();
    if (g === null || !this.host.inVsCode || cursor < 0) return;
    let site: SourceFrame | null = null;
    const lane = this.index.lanes.get(g);
    const blockSeq = lane?.lastBlockAt(cursor) ?? -1;
    if (blockSeq >= 0) {
      const ev = this.model.event(blockSeq);
      if (ev.kind === 'block') site = ev.site;
    }
    site ??= this.frame?.state.greenlets.find((x) => x.id === g)?.spawnSite ?? null;
    this.host.post({ type: 'revealGreenlet', g, file: site?.file ?? null, line: site?.line ?? null });
  }

  /** Something went wrong in the board itself: show it, and tell VS Code. */
  fail(err: unknown): void {
    const message = messageOf(err);
    // A view failing on every frame must not flood the host (or re-render forever).
    if (this.session.notice === `board error: ${message}`) return;
    console.error(err);
    this.session.notice = `board error: ${message}`;
    this.host.post({ type: 'error', message });
    this.scheduleRender();
  }

  /** The event shown: the board's cursor, or the newest event when following (-1: none yet). */
  private cursor(): number {
    const count = this.model.eventCount;
    return count === 0 ? -1 : Math.min(this.store.state.cursor ?? count - 1, count - 1);
  }
}
