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
}

/** Where a save goes. */
export interface StateStorage {
  load(): unknown;
  save(value: unknown): void;
}

export function toPersisted(state: BoardState): PersistedBoard {
  return { v: PERSIST_VERSION, board: state };
}

export function fromPersisted(raw: unknown): BoardState {
  const d = DEFAULT_BOARD_STATE;
  if (!isRecord(raw) || raw['v'] !== PERSIST_VERSION || !isRecord(raw['board'])) return d;
  const b = raw['board'];
  const sort = isRecord(b['sort']) ? b['sort'] : {};
  return {
    cursor: isIndex(b['cursor']) ? b['cursor'] : d.cursor,
    selected: isIndex(b['selected']) && b['selected'] > 0 ? b['selected'] : d.selected,
    filter: typeof b['filter'] === 'string' ? b['filter'].slice(0, 200) : d.filter,
    stateFilter: oneOf<StateFilter>(STATE_FILTERS, b['stateFilter']) ?? d.stateFilter,
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
  return { axis, range, scrollY };
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
