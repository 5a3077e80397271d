/**
 * Paints the timeline canvas: axis, one lane per greenlet (segments for
 * running / runnable / blocked; side by side, every process's lanes under
 * its header row, each moved along the axis by its offset),
 * marks for spawns, exceptions and switches,
 * connectors between the two lanes of each switch when zoomed in enough, and
 * the cursor. Work is bounded by what is visible: lanes outside the scrolled
 * window are skipped, segments are found by binary search, and a pixel
 * column holding many segments is painted once with its dominant phase
 * (prefix sums, so O(1) per column).
 */

import { scaleLinear } from 'd3';
import { Phase, type Lane } from '../derived/segments';
import { secondsText } from '../derived/text';
import type { Frame } from '../frame';
import type { Axis } from '../state/board-state';
import type { Palette } from './palette';
import type { TimelineProcess, TimelineRows } from './timeline-rows';
import { firstVisibleSegment, fromPx, laneXs, phaseTimeBetween, toPx, type Scale } from './timeline-scale';

export const AXIS_HEIGHT = 22;
export const LANE_HEIGHT = 20;
export const GUTTER = 160;
/** Draw switch connectors only when this few switches are in view. */
const MAX_CONNECTORS = 400;

export interface Geometry {
  readonly width: number;
  readonly height: number;
  readonly scrollY: number;
  readonly scale: Scale;
  readonly axis: Axis;
  /** Where the trace ends on the axis (open segments run to here). */
  readonly endValue: number;
  readonly endTime: number;
}

/** The rows' indexes in view for a scroll offset. */
export function visibleLanes(geo: Pick<Geometry, 'height' | 'scrollY'>, rows: number): [number, number] {
  const first = Math.max(0, Math.floor(geo.scrollY / LANE_HEIGHT));
  const last = Math.min(rows, Math.ceil((geo.scrollY + geo.height - AXIS_HEIGHT) / LANE_HEIGHT));
  return [first, last];
}

export function laneTop(geo: Pick<Geometry, 'scrollY'>, row: number): number {
  return AXIS_HEIGHT + row * LANE_HEIGHT - geo.scrollY;
}

/** The geometry one process's lanes are drawn with: the axis moved by its offset, its own end. */
export function processGeometry(geo: Geometry, proc: TimelineProcess): Geometry {
  const [, lastTime] = proc.index.timeRange;
  const scale = proc.offset === 0 ? geo.scale : { ...geo.scale, start: geo.scale.start - proc.offset, end: geo.scale.end - proc.offset };
  return { ...geo, scale, endValue: geo.axis === 'time' ? lastTime : proc.count - 1, endTime: lastTime };
}

export function drawTimeline(ctx: CanvasRenderingContext2D, geo: Geometry, frame: Frame, lanes: TimelineRows, p: Palette): void {
  const { width, height, scale } = geo;
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = p.font;
  ctx.textBaseline = 'middle';

  const { rows, focus, together } = lanes;
  const geos = lanes.processes.map((proc) => processGeometry(geo, proc));
  const [first, last] = visibleLanes(geo, rows.length);
  const stuck = new Set(frame.deadlock?.greenlets ?? []);
  // Side by side, a process's lanes sit indented under its header row.
  const indent = together ? 14 : 6;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_HEIGHT, width, height - AXIS_HEIGHT);
  ctx.clip();
  for (let r = first; r < last; r++) {
    const row = rows[r]!;
    const y = laneTop(geo, r);
    if (row.kind === 'process') {
      drawProcessHeader(ctx, geo, y, row.label, row.p === focus, p);
      continue;
    }
    const shown = row.p === focus;
    if (shown && row.g === frame.board.selected) {
      ctx.fillStyle = p.selection;
      ctx.fillRect(0, y, width, LANE_HEIGHT);
    }
    const lane = lanes.processes[row.p]!.index.lanes.get(row.g);
    if (lane !== undefined) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(scale.left, y, scale.width, LANE_HEIGHT);
      ctx.clip();
      drawLane(ctx, lane, geos[row.p]!, y + 3, LANE_HEIGHT - 6, p);
      ctx.restore();
    }
    ctx.fillStyle = !shown ? p.muted : stuck.has(row.g) ? p.exception : row.g === frame.state.current ? p.foreground : p.muted;
    ctx.fillText(clip(ctx, row.label, GUTTER - 6 - indent), indent, y + LANE_HEIGHT / 2);
  }
  drawConnectors(ctx, geos[focus]!, frame, lanes, first, last, p);
  ctx.restore();

  // Gutter edge and axis.
  ctx.fillStyle = p.grid;
  ctx.fillRect(scale.left - 1, 0, 1, height);
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  drawAxis(ctx, geo, p);
  drawCursor(ctx, geo, frame, lanes.processes[focus]!.offset, p);
  drawScrollbar(ctx, geo, rows.length, p);
}

/** A process's header row on the side-by-side timeline: its name across the lanes, marked when the tables show it. */
function drawProcessHeader(ctx: CanvasRenderingContext2D, geo: Geometry, y: number, label: string, shown: boolean, p: Palette): void {
  ctx.globalAlpha = 0.25;
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, y, geo.width, LANE_HEIGHT);
  ctx.globalAlpha = 1;
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, y, geo.width, 1);
  if (shown) {
    ctx.fillStyle = p.cursor;
    ctx.fillRect(0, y, 3, LANE_HEIGHT);
  }
  ctx.fillStyle = p.foreground;
  ctx.fillText(clip(ctx, label, geo.width - 12), 6, y + LANE_HEIGHT / 2);
}

/** Where the lanes in view sit among all of them (Shift+wheel or drag scrolls). */
function drawScrollbar(ctx: CanvasRenderingContext2D, geo: Geometry, rows: number, p: Palette): void {
  const track = geo.height - AXIS_HEIGHT;
  const total = rows * LANE_HEIGHT;
  if (total <= track) return;
  const h = Math.max(16, (track / total) * track);
  const y = AXIS_HEIGHT + (geo.scrollY / (total - track)) * (track - h);
  ctx.globalAlpha = 0.5;
  ctx.fillStyle = p.muted;
  ctx.fillRect(geo.width - 5, y, 4, h);
  ctx.globalAlpha = 1;
}

function drawLane(ctx: CanvasRenderingContext2D, lane: Lane, geo: Geometry, y: number, h: number, p: Palette): void {
  const { scale, axis } = geo;
  const xs = laneXs(lane, axis);
  const n = lane.segmentCount;
  const colour = (phase: number): string | null =>
    phase === Phase.running ? p.running : phase === Phase.runnable ? p.runnable : phase === Phase.blocked ? p.blocked : null;
  let i = firstVisibleSegment(lane, axis, scale.start);
  while (i < n) {
    const start = xs.at(i);
    if (start > scale.end) break;
    const end = i + 1 < n ? xs.at(i + 1) : geo.endValue;
    const x0 = toPx(scale, start);
    const x1 = toPx(scale, end);
    if (x1 - x0 >= 1) {
      const phase = lane.phases.at(i);
      const c = colour(phase);
      if (c !== null) {
        ctx.fillStyle = c;
        // Running is drawn full height; waiting phases thinner, so activity stands out.
        const inset = phase === Phase.running ? 0 : h / 4;
        ctx.fillRect(x0, y + inset, Math.max(1, x1 - x0), h - inset * 2);
        if (phase === Phase.running && x1 - x0 >= 3) {
          ctx.fillStyle = p.foreground;
          ctx.fillRect(x0, y - 2, 1, h + 4);
        }
      }
      i++;
      continue;
    }
    // Many segments in one pixel column: paint the column once.
    const column = Math.floor(x0);
    let j = xs.firstAbove(fromPx(scale, column + 1));
    if (j <= i) j = i + 1;
    const t = phaseTimeBetween(lane, i, j, geo.endTime);
    const c = t.running > 0 ? p.running : t.blocked >= t.runnable && t.blocked > 0 ? p.blocked : t.runnable > 0 ? p.runnable : null;
    if (c !== null) {
      ctx.fillStyle = c;
      const inset = t.running > 0 ? 0 : h / 4;
      ctx.fillRect(column, y + inset, 1, h - inset * 2);
    }
    // The last segment of the column may run on past it: it is drawn again from there.
    // (When that is segment i itself, it is narrower than a pixel: done.)
    const k = j - 1;
    const kEnd = j < n ? xs.at(j) : geo.endValue;
    i = k > i && toPx(scale, kEnd) > column + 1 ? k : j;
  }
  // Spawn and exception marks.
  if (lane.spawnSeq >= 0) {
    const x = toPx(scale, axis === 'time' ? lane.spawnTime : lane.spawnSeq);
    if (x >= scale.left - 4 && x <= scale.left + scale.width + 4) {
      ctx.fillStyle = p.spawn;
      ctx.beginPath();
      ctx.moveTo(x, y - 1);
      ctx.lineTo(x + 6, y + h / 2);
      ctx.lineTo(x, y + h + 1);
      ctx.closePath();
      ctx.fill();
    }
  }
  const ex = axis === 'time' ? lane.exceptionTimes : lane.exceptionSeqs;
  ctx.fillStyle = p.exception;
  for (let k = 0; k < ex.length; k++) {
    const x = toPx(scale, ex.at(k));
    if (x < scale.left - 6 || x > scale.left + scale.width + 6) continue;
    const cy = y + h / 2;
    ctx.beginPath();
    ctx.moveTo(x, cy - 6);
    ctx.lineTo(x + 5, cy);
    ctx.lineTo(x, cy + 6);
    ctx.lineTo(x - 5, cy);
    ctx.closePath();
    ctx.fill();
  }
}

/** A thin line from the lane switched out of to the lane switched into, for each switch in view. */
function drawConnectors(ctx: CanvasRenderingContext2D, geo: Geometry, frame: Frame, lanes: TimelineRows, first: number, last: number, p: Palette): void {
  const { scale, axis } = geo;
  const idx = frame.index;
  const xs = axis === 'time' ? idx.switchTimes : idx.switchSeqs;
  const a = xs.firstAbove(scale.start - 1e-9);
  const b = xs.firstAbove(scale.end);
  if (b - a > MAX_CONNECTORS || b <= a) return;
  const rowOf = new Map<number, number>();
  lanes.rows.forEach((row, r) => {
    if (row.kind === 'greenlet' && row.p === lanes.focus) rowOf.set(row.g, r);
  });
  ctx.strokeStyle = p.muted;
  ctx.globalAlpha = 0.55;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = a; k < b; k++) {
    const ev = frame.model.event(idx.switchSeqs.at(k));
    if (ev.kind !== 'switch') continue;
    const r0 = rowOf.get(ev.from);
    const r1 = rowOf.get(ev.to);
    if (r0 === undefined || r1 === undefined) continue;
    if (Math.max(r0, r1) < first || Math.min(r0, r1) >= last) continue;
    const x = Math.round(toPx(scale, xs.at(k))) + 0.5;
    ctx.moveTo(x, laneTop(geo, r0) + LANE_HEIGHT / 2);
    ctx.lineTo(x, laneTop(geo, r1) + LANE_HEIGHT / 2);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawAxis(ctx: CanvasRenderingContext2D, geo: Geometry, p: Palette): void {
  const { scale } = geo;
  let ticks = scaleLinear().domain([scale.start, scale.end]).ticks(Math.max(2, Math.floor(scale.width / 110)));
  // Events are whole: no ticks between two of them.
  if (geo.axis === 'seq') ticks = ticks.filter((v) => Number.isInteger(v));
  ctx.fillStyle = p.muted;
  for (const v of ticks) {
    const x = Math.round(toPx(scale, v)) + 0.5;
    ctx.fillRect(x, AXIS_HEIGHT - 6, 1, 5);
    ctx.globalAlpha = 0.18;
    ctx.fillRect(x, AXIS_HEIGHT, 1, geo.height - AXIS_HEIGHT);
    ctx.globalAlpha = 1;
    // Events are numbered from 1 on the axis, as in the status line ("event N of M").
    ctx.fillText(geo.axis === 'time' ? secondsText(v) : `#${v + 1}`, x + 3, AXIS_HEIGHT / 2 - 1);
  }
  ctx.fillText(geo.axis === 'time' ? 'time' : 'event', 6, AXIS_HEIGHT / 2 - 1);
}

/** The cursor (the shown process's; `offset` places its time on the axis) and the dimmed future after it. */
function drawCursor(ctx: CanvasRenderingContext2D, geo: Geometry, frame: Frame, offset: number, p: Palette): void {
  if (frame.cursor < 0) return;
  const { scale } = geo;
  const cursorTime = frame.cursorTime + offset;
  const x = Math.round(toPx(scale, geo.axis === 'time' ? cursorTime : frame.cursor));
  const right = scale.left + scale.width;
  // What lies after the cursor has not happened yet in the state shown: dim it.
  if (x < right) {
    ctx.globalAlpha = 0.45;
    ctx.fillStyle = p.background;
    const from = Math.max(scale.left, x + 1);
    ctx.fillRect(from, AXIS_HEIGHT, right - from, geo.height - AXIS_HEIGHT);
    ctx.globalAlpha = 1;
  }
  if (x < scale.left || x > right) return;
  ctx.fillStyle = p.cursor;
  ctx.fillRect(x - 1, 0, 2, geo.height);
  const label = geo.axis === 'time' ? secondsText(cursorTime) : `#${frame.cursor + 1}`;
  const w = ctx.measureText(label).width + 8;
  const lx = Math.min(x + 2, right - w);
  ctx.fillRect(lx, 2, w, AXIS_HEIGHT - 5);
  ctx.fillStyle = p.background;
  ctx.fillText(label, lx + 4, AXIS_HEIGHT / 2 - 1);
}

/** Text cut to fit `max` pixels, with an ellipsis. */
function clip(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
