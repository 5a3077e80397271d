/**
 * The processes of a recording that followed children, in words: how each
 * is named in `record`'s lines, `state`/`stats`, the board's process
 * selector and its side-by-side timeline.
 */

import type { Header } from '../trace/events';

/** ", forked from N" / ", started by N" for a followed child's header; "" for the program's own trace. */
export function originNote(header: Pick<Header, 'parentPid' | 'startedBy'> | null | undefined): string {
  if (header == null || header.parentPid === null) return '';
  return header.startedBy === 'spawn' ? `, started by ${header.parentPid}` : `, forked from ${header.parentPid}`;
}

/**
 * "pid N (forked from M)", "pid N (started by M)", "pid N": a process in a
 * list of a recording's processes (the board's selector and side-by-side
 * rows) and a child debug session's name in the Call Stack.
 */
export function processName(header: Pick<Header, 'pid' | 'parentPid' | 'startedBy'>): string {
  if (header.parentPid === null) return `pid ${header.pid}`;
  return `pid ${header.pid} (${header.startedBy === 'spawn' ? 'started by' : 'forked from'} ${header.parentPid})`;
}

/** A trace whose header cannot be read, in that list. */
export function unreadableProcess(fileName: string): string {
  return `${fileName} (unreadable header)`;
}

/** The process selector's choice that shows every process on one time axis. */
export const ALL_PROCESSES = 'All processes, side by side';

/** Beside the selector on the side-by-side board: whose greenlets, queues and findings the rest of the board shows. */
export function focusNote(label: string): string {
  return `tables and graphs show ${label} (click a lane to show another)`;
}
