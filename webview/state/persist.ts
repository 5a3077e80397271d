/**
 * Saving and restoring the board state across reloads: VS Code's
 * getState/setState inside a webview, sessionStorage in a browser tab.
 * Restoring trusts nothing: each field is checked on its own and a bad one
 * falls back to its default, so an old or tampered save never breaks the page.
 */

import {
  COLUMNS, DEFAULT_BOARD_STATE, STATE_FILTERS, TABS,
  type BoardState, type ColumnId, type StateFilter, type TabId, type TimelineView,
} from './board-state';

export const PERSIST_VERSION = 1;

export interface PersistedBoard {
  readonly v: typeof PERSIST_VERSION;
  readonly board: BoardState;
  /** Which run of which debug session the state is about (BoardBoot's `session`); absent for a trace file. */
  readonly session?: string;
  /** That session's trace file, if it had one (a replay's recording, a launch's `trace`): the host reopens it after a window reload. */
  readonly trace?: string;
}

/** What the saved state says about the session it was saved for (the host reads it after a window reload). */
export interface PersistedSession {
  readonly session?: string;
  readonly trace?: string;
}

/** Where a save goes. */
export interface StateStorage {
  load(): unknown;
  save(value: unknown): void;
}

export function toPersisted(state: BoardState, about: PersistedSession = {}): PersistedBoard {
  return { v: PERSIST_VERSION, board: state, ...about };
}

/** The session and trace a saved state names, each checked. */
export function persistedSession(raw: unknown): PersistedSession {
  if (!isRecord(raw)) return {};
  const out: { session?: string; trace?: string } = {};
  if (typeof raw['session'] === 'string') out.session = raw['session'];
  if (typeof raw['trace'] === 'string' && raw['trace'] !== '') out.trace = raw['trace'];
  return out;
}

/**
 * The saved state, or the defaults. `session`, when given, is the session
 * the board now shows: a state saved for another session (or another run of
 * it) keeps only how the board is arranged (tab, sort, groups, axis, start-up shown), never where
 * the cursor was or what was selected, which belong to other events.
 */
export function fromPersisted(raw: unknown, session?: string): BoardState {
  const d = DEFAULT_BOARD_STATE;
  if (!isRecord(raw) || raw['v'] !== PERSIST_VERSION || !isRecord(raw['board'])) return d;
  const restored = restore(raw['board']);
  if (session === undefined || persistedSession(raw).session === session) return restored;
  return { ...d, sort: restored.sort, tab: restored.tab, groups: restored.groups, timeline: { ...d.timeline, axis: restored.timeline.axis, startup: restored.timeline.startup } };
}

function restore(b: Record<string, unknown>): BoardState {
  const d = DEFAULT_BOARD_STATE;
  const sort = isRecord(b['sort']) ? b['sort'] : {};
  return {
    cursor: isIndex(b['cursor']) ? b['cursor'] : d.cursor,
    selected: isIndex(b['selected']) && b['selected'] > 0 ? b['selected'] : d.selected,
    filter: typeof b['filter'] === 'string' ? b['filter'].slice(0, 200) : d.filter,
    stateFilter: oneOf<StateFilter>(STATE_FILTERS, b['stateFilter']) ?? d.stateFilter,
    groups: typeof b['groups'] === 'boolean' ? b['groups'] : d.groups,
    sort: {
      column: oneOf<ColumnId>(COLUMNS, sort['column']) ?? d.sort.column,
      descending: typeof sort['descending'] === 'boolean' ? sort['descending'] : d.sort.descending,
    },
    timeline: timelineFrom(b['timeline']),
    tab: oneOf<TabId>(TABS, b['tab']) ?? d.tab,
  };
}

function timelineFrom(raw: unknown): TimelineView {
  const d = DEFAULT_BOARD_STATE.timeline;
  if (!isRecord(raw)) return d;
  const axis = raw['axis'] === 'seq' || raw['axis'] === 'time' ? raw['axis'] : d.axis;
  const r = raw['range'];
  const range = Array.isArray(r) && r.length === 2 && isFiniteNumber(r[0]) && isFiniteNumber(r[1]) && r[1] > r[0]
    ? ([r[0], r[1]] as const)
    : null;
  const scrollY = isFiniteNumber(raw['scrollY']) && raw['scrollY'] >= 0 ? raw['scrollY'] : 0;
  const startup = typeof raw['startup'] === 'boolean' ? raw['startup'] : d.startup;
  return { axis, range, scrollY, startup };
}

/** VS Code's per-webview state, which survives the panel being hidden and reloaded. */
export function vscodeStorage(api: { getState(): unknown; setState(value: unknown): void }): StateStorage {
  return { load: () => api.getState(), save: (value) => api.setState(value) };
}

/** sessionStorage under `key`; a browser that refuses storage (privacy modes) just forgets. */
export function sessionStorageFor(key: string, given?: Pick<Storage, 'getItem' | 'setItem'>): StateStorage {
  // Merely reading window.sessionStorage throws in some sandboxed frames.
  let storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = given;
  if (storage === undefined) {
    try {
      storage = (globalThis as { sessionStorage?: Storage }).sessionStorage;
    } catch {
      storage = undefined;
    }
  }
  return {
    load: () => {
      try {
        const text = storage?.getItem(key);
        return text === null || text === undefined ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    save: (value) => {
      try {
        storage?.setItem(key, JSON.stringify(value));
      } catch {
        // Quota or privacy mode: the state is a convenience, not data.
      }
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function oneOf<T extends string>(allowed: readonly T[], v: unknown): T | null {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}
