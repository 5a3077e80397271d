/**
 * The board's own UI state: where the cursor is, what is selected, how the
 * table is filtered and sorted, where the timeline looks, which tab shows.
 * Kept apart from drawing (view/) so it can be persisted, restored and
 * tested without a DOM; everything here is plain JSON.
 */

import type { GreenletStateName } from '../../shared/model/state';

export const COLUMNS = [
  'id', 'name', 'state', 'started', 'ready', 'successful', 'value', 'exception', 'parent', 'switches', 'running', 'waiting',
] as const;
export type ColumnId = (typeof COLUMNS)[number];

export const STATE_NAMES: readonly GreenletStateName[] = ['not_started', 'runnable', 'running', 'blocked', 'dead_ok', 'dead_exception'];
/** '' shows all; alive and dead group the state names. */
export type StateFilter = '' | 'alive' | 'dead' | GreenletStateName;
export const STATE_FILTERS: readonly StateFilter[] = ['', 'alive', 'dead', ...STATE_NAMES];

export const TABS = ['overview', 'greenlets', 'timeline', 'objects', 'waitgraph', 'spawntree', 'findings'] as const;
export type TabId = (typeof TABS)[number];

/** The timeline's x axis: microseconds, or event numbers (bursts get room). */
export type Axis = 'time' | 'seq';

export interface TimelineView {
  readonly axis: Axis;
  /** The visible x range in axis units; null fits the whole trace. */
  readonly range: readonly [number, number] | null;
  /** Pixels the lanes are scrolled down. */
  readonly scrollY: number;
  /** Show the start-up before the first greenlet is spawned (hidden by default: it can be most of a short run). */
  readonly startup: boolean;
}

export interface SortOrder {
  readonly column: ColumnId;
  readonly descending: boolean;
}

export interface BoardState {
  /** The event shown (a seq); null follows the newest event. */
  readonly cursor: number | null;
  readonly selected: number | null;
  readonly filter: string;
  readonly stateFilter: StateFilter;
  /** The greenlets pane lists groups (function × state, with counts) instead of rows. */
  readonly groups: boolean;
  readonly sort: SortOrder;
  readonly timeline: TimelineView;
  readonly tab: TabId;
}

export const DEFAULT_BOARD_STATE: BoardState = {
  cursor: null,
  selected: null,
  filter: '',
  stateFilter: '',
  groups: false,
  sort: { column: 'id', descending: false },
  timeline: { axis: 'time', range: null, scrollY: 0, startup: false },
  tab: 'overview',
};

/** Clicking a header: the same column flips its order, another sorts ascending. */
export function toggleSort(sort: SortOrder, column: ColumnId): SortOrder {
  return sort.column === column ? { column, descending: !sort.descending } : { column, descending: false };
}

/** Whether a greenlet in `state` passes the state filter. */
export function passesStateFilter(filter: StateFilter, state: GreenletStateName): boolean {
  switch (filter) {
    case '': return true;
    case 'dead': return state === 'dead_ok' || state === 'dead_exception';
    case 'alive': return state !== 'dead_ok' && state !== 'dead_exception';
    default: return filter === state;
  }
}

/** The name filter: case-insensitive substring of the label ("g3 worker"), so "g3" finds by id. */
export function passesNameFilter(filter: string, label: string): boolean {
  const f = filter.trim().toLowerCase();
  return f === '' || label.toLowerCase().includes(f);
}
