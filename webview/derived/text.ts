/**
 * How the board words numbers and flags: durations, times, booleans, the
 * exception column. States and waits are worded in shared/present, the same
 * for the board, the Call Stack and the command line.
 */

import type { GreenletView } from '../../shared/model/state';

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
