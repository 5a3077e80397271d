/**
 * The timeline's geometry, as pure functions (no DOM): mapping axis values
 * to pixels, zooming about a point, panning within bounds, and which part of
 * a lane's segments falls in view.
 */

import { Phase, type Lane } from '../derived/segments';
import type { Axis } from '../state/board-state';

export interface Scale {
  /** Axis value at the left edge of the plot and at its right edge. */
  readonly start: number;
  readonly end: number;
  /** The plot's left edge and width in CSS pixels. */
  readonly left: number;
  readonly width: number;
}

export function toPx(s: Scale, v: number): number {
  return s.left + ((v - s.start) / (s.end - s.start)) * s.width;
}

export function fromPx(s: Scale, px: number): number {
  return s.start + ((px - s.left) / s.width) * (s.end - s.start);
}

/**
 * The whole trace on an axis: first to last event time, or event 0 to the
 * last (half an event of margin). `from`, when given, is where it starts
 * instead (the first spawn, start-up hidden).
 */
export function fullRange(axis: Axis, firstTime: number, lastTime: number, count: number, from: { readonly time: number; readonly seq: number } | null = null): [number, number] {
  if (axis === 'seq') {
    const start = from === null ? -0.5 : from.seq - 0.5;
    return [start, Math.max(count - 0.5, start + 1)];
  }
  const start = from === null ? firstTime : Math.max(firstTime, from.time);
  return lastTime > start ? [start, lastTime] : [start - 1, start + 1];
}

/** Smallest span one may zoom to: 10 µs, or 4 events. */
export function minSpan(axis: Axis): number {
  return axis === 'seq' ? 4 : 10;
}

/** Zooms by `factor` (< 1 zooms in) keeping the value under `anchor` in place; never wider than the trace. */
export function zoomRange(range: readonly [number, number], anchor: number, factor: number, full: readonly [number, number], axis: Axis): [number, number] {
  const fullSpan = full[1] - full[0];
  const span = Math.min(fullSpan, Math.max(minSpan(axis), (range[1] - range[0]) * factor));
  const ratio = (anchor - range[0]) / (range[1] - range[0]);
  return clampRange([anchor - ratio * span, anchor - ratio * span + span], full);
}

/** Moves the range by `delta` axis units, staying inside the trace. */
export function panRange(range: readonly [number, number], delta: number, full: readonly [number, number]): [number, number] {
  return clampRange([range[0] + delta, range[1] + delta], full);
}

export function clampRange(range: readonly [number, number], full: readonly [number, number]): [number, number] {
  const span = Math.min(range[1] - range[0], full[1] - full[0]);
  let start = Math.max(full[0], range[0]);
  if (start + span > full[1]) start = full[1] - span;
  return [start, start + span];
}

/** Segment values on the axis: start times, or start seqs. */
export function laneXs(lane: Lane, axis: Axis): Lane['times'] {
  return axis === 'time' ? lane.times : lane.seqs;
}

/** Index of the first segment that reaches into [start, …): the one containing start, or 0. */
export function firstVisibleSegment(lane: Lane, axis: Axis, start: number): number {
  return Math.max(0, laneXs(lane, axis).lastAtMost(start));
}

/**
 * Time spent per phase by segments i..j-1, for painting a pixel column that
 * holds many segments: prefix sums make it O(1). The last segment is open
 * and counts up to `endTime`.
 */
export function phaseTimeBetween(lane: Lane, i: number, j: number, endTime: number): { running: number; blocked: number; runnable: number } {
  const n = lane.segmentCount;
  const at = (col: Lane['runningBefore'], k: number, phase: number): number => {
    if (k < n) return col.at(k);
    // Past the last segment: add the open one's time so far.
    const last = n - 1;
    return col.at(last) + (lane.phases.at(last) === phase ? Math.max(0, endTime - lane.times.at(last)) : 0);
  };
  return {
    running: at(lane.runningBefore, j, Phase.running) - at(lane.runningBefore, i, Phase.running),
    blocked: at(lane.blockedBefore, j, Phase.blocked) - at(lane.blockedBefore, i, Phase.blocked),
    runnable: at(lane.runnableBefore, j, Phase.runnable) - at(lane.runnableBefore, i, Phase.runnable),
  };
}
