/**
 * The timeline's rows: one lane per greenlet of the table (one process), or
 * on the side-by-side board every process's lanes, each process under a
 * header row, on one time axis (each process's times moved by its offset).
 * Rows are built once per frame; drawing touches only the ones in view.
 */

import type { TraceIndex } from '../derived/trace-index';
import type { Frame } from '../frame';

export interface TimelineRow {
  /** A process's header row, or one greenlet's lane. */
  readonly kind: 'process' | 'greenlet';
  /** Which process (0 on a one-process board). */
  readonly p: number;
  /** The greenlet's id (0 on a header row). */
  readonly g: number;
  readonly label: string;
}

export interface TimelineProcess {
  /** Its name side by side (`pid N (forked from M)`); '' on a one-process board. */
  readonly label: string;
  readonly index: TraceIndex;
  /** Added to its times to place them on the axis (µs). */
  readonly offset: number;
  /** Its events so far. */
  readonly count: number;
}

export interface TimelineRows {
  readonly rows: readonly TimelineRow[];
  readonly processes: readonly TimelineProcess[];
  /** The process whose lanes are the frame's (selection, switch connectors, cursor). */
  readonly focus: number;
  /** Side by side: the axis is time, shared by every process. */
  readonly together: boolean;
  /** The whole recording on the time axis: its first and last event. */
  readonly timeRange: readonly [number, number];
}

export function timelineRows(frame: Frame): TimelineRows {
  const t = frame.together;
  if (t === null) {
    return {
      rows: frame.rows.map((r) => ({ kind: 'greenlet', p: 0, g: r.g.id, label: r.g.label })),
      processes: [{ label: '', index: frame.index, offset: 0, count: frame.count }],
      focus: 0, together: false, timeRange: frame.index.timeRange,
    };
  }
  const rows: TimelineRow[] = [];
  let first = Infinity;
  let last = -Infinity;
  t.processes.forEach((proc, p) => {
    rows.push({ kind: 'process', p, g: 0, label: proc.label });
    // The shown process's lanes follow the table (its filters and sort); the others' are every greenlet by id.
    const greenlets = p === t.focus ? frame.rows.map((r) => r.g) : proc.greenlets();
    for (const g of greenlets) rows.push({ kind: 'greenlet', p, g: g.id, label: g.label });
    if (proc.count > 0) {
      const [a, b] = proc.index.timeRange;
      first = Math.min(first, a + proc.offset);
      last = Math.max(last, b + proc.offset);
    }
  });
  return {
    rows, processes: t.processes, focus: t.focus, together: true,
    timeRange: first <= last ? [first, last] : [0, 0],
  };
}
