/** How the board words model values: state cells, waits, durations. */

import type { BlockedOn, GreenletView } from '../../shared/model/state';
import type { Frame } from '../../shared/trace/events';

/**
 * The greenlets table's state cell (docs/board.md): the model's state name,
 * plus what a blocked greenlet waits on: "blocked on Event#1", "blocked on g2
 * worker" (a join), "blocked on sleep".
 */
export function stateText(g: GreenletView): string {
  if (g.state !== 'blocked' || g.blockedOn === null) return g.state;
  const on = waitTarget(g.blockedOn);
  return on === '' ? 'blocked' : `blocked on ${on}`;
}

/** What a wait is on, without the operation: the object's or joined greenlet's label, or the kind of wait. */
export function waitTarget(b: BlockedOn): string {
  if (b.objLabel !== null) return b.objLabel;
  switch (b.reason) {
    case 'sleep': return 'sleep';
    case 'io': return 'I/O';
    case 'join': return b.obj !== 0 ? `g${b.obj}` : 'join';
    default: return '';
  }
}

/** The longer form for tooltips: reason, object, timeout and line. */
export function waitDetail(b: BlockedOn): string {
  const parts = [b.reason.replace('_', ' ')];
  if (b.objLabel !== null) parts.push(`on ${b.objLabel}`);
  if (b.timeout !== null) parts.push(`timeout ${b.timeout} s`);
  if (b.site !== null) parts.push(`at ${siteText(b.site)}`);
  return parts.join(' ');
}

export function siteText(f: Frame): string {
  const file = f.file.split(/[\\/]/).pop() ?? f.file;
  return `${file}:${f.line} (${f.function})`;
}

/** Microseconds for people: "0", "850 µs", "12.3 ms", "4.56 s", "3 min 5 s". */
export function durationText(us: number): string {
  if (!(us > 0)) return '0';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1e6) return `${trim(us / 1000)} ms`;
  if (us < 60e6) return `${trim(us / 1e6)} s`;
  const s = Math.round(us / 1e6);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Seconds since the trace's start, for the timeline's axis and the cursor. */
export function secondsText(us: number): string {
  return `${trim(us / 1e6)} s`;
}

/** Three significant digits, no trailing zeros. */
function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

export function flagText(v: boolean): string {
  return v ? 'true' : 'false';
}

/** The exception column: the exit's repr, else the raised exception's type and message. */
export function exceptionText(g: GreenletView): string {
  if (g.flags.exception !== null) return g.flags.exception;
  if (g.exceptionInfo !== null) return g.exceptionInfo.message === '' ? g.exceptionInfo.type : `${g.exceptionInfo.type}: ${g.exceptionInfo.message}`;
  return '';
}
