/**
 * The timeline view: a canvas sized to its pane (device pixels), redrawn at
 * most once per animation frame. Wheel zooms about the pointer (Shift+wheel
 * scrolls the lanes), dragging pans both ways, a click moves the cursor to
 * the event there and selects the lane's greenlet, a double click fits the
 * whole trace. The zoom and scroll live in the board state (persisted).
 */

import { phaseName } from '../derived/segments';
import type { BoardActions, Frame, View } from '../frame';
import type { Axis, TimelineView as TimelineState } from '../state/board-state';
import { el, icon, setAttr } from './dom';
import { readPalette, watchTheme, type Palette } from './palette';
import { AXIS_HEIGHT, GUTTER, LANE_HEIGHT, drawTimeline, type Geometry } from './timeline-draw';
import { clampRange, fromPx, fullRange, panRange, zoomRange } from './timeline-scale';
import { timelineRows, type TimelineRows } from './timeline-rows';

const LEGEND: readonly [string, string][] = [['running', 'running'], ['runnable', 'runnable'], ['blocked', 'blocked'], ['spawn', 'spawn'], ['exception', 'exception']];

export class TimelineView implements View {
  private readonly box: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private readonly axisSelect: HTMLSelectElement;
  private palette: Palette | null = null;
  private frame: Frame | null = null;
  /** The rows of the frame drawn, and what they were built from. */
  private lanes: { rows: unknown; key: string; lanes: TimelineRows } | null = null;
  private drawPending = false;
  private drag: { x: number; y: number; range: [number, number]; scrollY: number; moved: boolean } | null = null;

  constructor(body: HTMLElement, tools: HTMLElement, private readonly actions: BoardActions) {
    const legend = el('span', { class: 'legend' });
    for (const [cls, label] of LEGEND) {
      const item = el('span', { class: `swatch ${cls}` });
      legend.append(item, label);
    }
    this.axisSelect = el('select', { 'data-role': 'axis', 'aria-label': 'Timeline axis', title: 'x axis' });
    this.axisSelect.append(el('option', { value: 'time' }, 'by time'), el('option', { value: 'seq' }, 'by event'));
    this.axisSelect.addEventListener('change', () => {
      const axis: Axis = this.axisSelect.value === 'seq' ? 'seq' : 'time';
      this.setTimeline({ axis, range: null });
    });
    const fit = el('button', { type: 'button', class: 'tool icon-only', title: 'Show the whole trace (double click)', 'aria-label': 'Fit' });
    fit.append(icon('fit'));
    fit.addEventListener('click', () => this.setTimeline({ range: null }));
    tools.append(legend, this.axisSelect, fit);

    this.box = el('div', { class: 'timeline', 'data-view': 'timeline' });
    this.canvas = el('canvas', { 'aria-label': 'Timeline: one lane per greenlet', role: 'img' });
    this.tip = el('div', { class: 'tip', hidden: '' });
    this.box.append(this.canvas, this.tip);
    body.append(this.box);

    new ResizeObserver(() => this.requestDraw()).observe(this.box);
    watchTheme(() => {
      this.palette = null;
      this.requestDraw();
    });
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => this.onDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onUp(e));
    this.canvas.addEventListener('pointerleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('dblclick', () => this.setTimeline({ range: null }));
  }

  render(frame: Frame): void {
    this.frame = frame;
    const key = frame.together === null ? '' : `${frame.together.focus}/${frame.together.processes.map((p) => p.count).join(',')}`;
    if (this.lanes === null || this.lanes.rows !== frame.rows || this.lanes.key !== key) {
      this.lanes = { rows: frame.rows, key, lanes: timelineRows(frame) };
    }
    // Side by side the axis is time: event numbers are per process.
    const axis = frame.together === null ? frame.board.timeline.axis : 'time';
    this.axisSelect.disabled = frame.together !== null;
    if (this.axisSelect.value !== axis) this.axisSelect.value = axis;
    this.requestDraw();
  }

  private get rows(): TimelineRows['rows'] {
    return this.lanes?.lanes.rows ?? [];
  }

  private requestDraw(): void {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    const frame = this.frame;
    const geo = this.geometry();
    if (frame === null || geo === null) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(geo.width * dpr);
    const h = Math.round(geo.height * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.palette ??= readPalette(this.box);
    // Where the axis is (µs at the plot's edges; side by side, from the earliest process's start), for tests and tools.
    setAttr(this.box, 'data-axis', `${geo.axis} ${geo.scale.start} ${geo.scale.end} ${geo.scale.left} ${geo.scale.width}`);
    drawTimeline(ctx, geo, frame, this.lanes!.lanes, this.palette);
  }

  /** Where everything is, from the pane's size and the board state; null before the first frame. */
  private geometry(): Geometry | null {
    const frame = this.frame;
    if (frame === null) return null;
    const width = Math.max(GUTTER + 50, this.box.clientWidth);
    const height = Math.max(AXIS_HEIGHT + LANE_HEIGHT, this.box.clientHeight);
    const t = frame.board.timeline;
    const axis = this.axis();
    const [, lastTime] = this.lanes!.lanes.timeRange;
    const full = this.full();
    const range = t.range === null ? full : clampRange(t.range, full);
    const maxScroll = Math.max(0, this.rows.length * LANE_HEIGHT - (height - AXIS_HEIGHT));
    return {
      width,
      height,
      scrollY: Math.min(t.scrollY, maxScroll),
      scale: { start: range[0], end: range[1], left: GUTTER, width: width - GUTTER - 8 },
      axis,
      endValue: axis === 'time' ? lastTime : frame.count - 1,
      endTime: lastTime,
    };
  }

  private axis(): Axis {
    return this.lanes?.lanes.together === true ? 'time' : this.frame!.board.timeline.axis;
  }

  private full(): [number, number] {
    const frame = this.frame!;
    const [a, b] = this.lanes!.lanes.timeRange;
    return fullRange(this.axis(), a, b, frame.count);
  }

  private setTimeline(patch: Partial<TimelineState>): void {
    const frame = this.frame;
    if (frame === null) return;
    this.actions.update({ timeline: { ...frame.board.timeline, ...patch } });
  }

  private onWheel(e: WheelEvent): void {
    const geo = this.geometry();
    if (geo === null) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? geo.height : 1;
    if (e.shiftKey) {
      const maxScroll = Math.max(0, this.rows.length * LANE_HEIGHT - (geo.height - AXIS_HEIGHT));
      const scrollY = Math.min(maxScroll, Math.max(0, geo.scrollY + (e.deltaY + e.deltaX) * unit));
      this.setTimeline({ scrollY });
      return;
    }
    const range: [number, number] = [geo.scale.start, geo.scale.end];
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      // A sideways swipe (trackpad) pans.
      this.setTimeline({ range: panRange(range, (e.deltaX * unit * (range[1] - range[0])) / geo.scale.width, this.full()) });
      return;
    }
    const x = Math.max(geo.scale.left, e.offsetX);
    const anchor = fromPx(geo.scale, x);
    this.setTimeline({ range: zoomRange(range, anchor, Math.exp(e.deltaY * unit * 0.002), this.full(), geo.axis) });
  }

  private onDown(e: PointerEvent): void {
    const geo = this.geometry();
    if (geo === null || e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.offsetX, y: e.offsetY, range: [geo.scale.start, geo.scale.end], scrollY: geo.scrollY, moved: false };
  }

  private onMove(e: PointerEvent): void {
    const geo = this.geometry();
    if (geo === null) return;
    const d = this.drag;
    if (d === null) {
      this.showTip(e.offsetX, e.offsetY, geo);
      return;
    }
    const dx = e.offsetX - d.x;
    const dy = e.offsetY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    d.moved = true;
    this.tip.hidden = true;
    const span = d.range[1] - d.range[0];
    const maxScroll = Math.max(0, this.rows.length * LANE_HEIGHT - (geo.height - AXIS_HEIGHT));
    this.setTimeline({
      range: panRange(d.range, (-dx * span) / geo.scale.width, this.full()),
      scrollY: Math.min(maxScroll, Math.max(0, d.scrollY - dy)),
    });
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    const geo = this.geometry();
    const frame = this.frame;
    if (d === null || d.moved || geo === null || frame === null || frame.count === 0) return;
    // A click: the lane under it is selected; in the plot, the cursor moves there too.
    const r = Math.floor((e.offsetY - AXIS_HEIGHT + geo.scrollY) / LANE_HEIGHT);
    const row = e.offsetY >= AXIS_HEIGHT && r >= 0 && r < this.rows.length ? this.rows[r]! : null;
    const inPlot = e.offsetX >= geo.scale.left;
    const lanes = this.lanes!.lanes;
    if (row !== null && row.p !== lanes.focus) {
      // Another process's lane (or header): the board shows that process, at the time clicked.
      const seq = inPlot && lanes.processes[row.p]!.count > 0 ? this.seqAt(geo, e.offsetX, row.p) : null;
      this.actions.focusProcess(row.p, row.kind === 'greenlet' ? row.g : null, seq);
      return;
    }
    if (row !== null) this.actions.select(row.kind === 'greenlet' ? row.g : null);
    if (inPlot) this.actions.setCursor(this.seqAt(geo, e.offsetX, lanes.focus));
  }

  /** The event of process `p` at (or last before) the axis value under x. */
  private seqAt(geo: Geometry, x: number, p: number): number {
    const proc = this.lanes!.lanes.processes[p]!;
    const v = fromPx(geo.scale, x);
    const seq = geo.axis === 'time' ? proc.index.seqAtTime(v - proc.offset) : Math.round(v);
    return Math.min(proc.count - 1, Math.max(0, seq));
  }

  private showTip(x: number, y: number, geo: Geometry): void {
    const frame = this.frame!;
    const r = Math.floor((y - AXIS_HEIGHT + geo.scrollY) / LANE_HEIGHT);
    const row = r >= 0 && r < this.rows.length ? this.rows[r]! : null;
    const lanes = this.lanes!.lanes;
    if (y < AXIS_HEIGHT || row === null || row.kind === 'process' || x < geo.scale.left || lanes.processes[row.p]!.count === 0 || frame.count === 0) {
      this.tip.hidden = true;
      return;
    }
    const lane = lanes.processes[row.p]!.index.lanes.get(row.g);
    const seq = this.seqAt(geo, x, row.p);
    const where = lanes.together ? `${lanes.processes[row.p]!.label} · ` : '';
    this.tip.textContent = `${where}${row.label} · ${lane === undefined ? '' : phaseName(lane.phaseAt(seq))} · event ${seq + 1}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(x + 12, geo.width - 220)}px`;
    this.tip.style.top = `${y + 14}px`;
  }
}
