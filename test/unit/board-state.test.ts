import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_BOARD_STATE, passesNameFilter, passesStateFilter, toggleSort, type BoardState,
} from '../../webview/state/board-state';
import { fromPersisted, persistedSession, sessionStorageFor, toPersisted, type StateStorage } from '../../webview/state/persist';
import { BoardStore } from '../../webview/state/store';

const CUSTOM: BoardState = {
  cursor: 41,
  selected: 3,
  filter: 'worker',
  stateFilter: 'blocked',
  groups: true,
  sort: { column: 'waiting', descending: true },
  timeline: { axis: 'seq', range: [10, 90], scrollY: 120, startup: true },
  tab: 'waitgraph',
};

test('a saved state restores exactly, through JSON', () => {
  assert.deepEqual(fromPersisted(JSON.parse(JSON.stringify(toPersisted(CUSTOM)))), CUSTOM);
  assert.deepEqual(fromPersisted(toPersisted(DEFAULT_BOARD_STATE)), DEFAULT_BOARD_STATE);
});

test('nothing saved, another version or garbage gives the defaults', () => {
  for (const raw of [undefined, null, 42, 'x', [], {}, { v: 2, board: CUSTOM }, { v: 1 }, { v: 1, board: [] }]) {
    assert.deepEqual(fromPersisted(raw), DEFAULT_BOARD_STATE, JSON.stringify(raw));
  }
});

test('each bad field falls back on its own; good ones survive', () => {
  const raw = {
    v: 1,
    board: {
      ...CUSTOM,
      cursor: -3,
      selected: 'g3',
      stateFilter: 'sleeping',
      sort: { column: '__proto__', descending: true },
      timeline: { axis: 'seq', range: [90, 10], scrollY: Number.NaN, startup: 'yes' },
      tab: 'evil',
      filter: 'x'.repeat(500),
    },
  };
  const s = fromPersisted(raw);
  assert.equal(s.cursor, null);
  assert.equal(s.selected, null);
  assert.equal(s.stateFilter, '');
  assert.deepEqual(s.sort, { column: 'id', descending: true });
  assert.deepEqual(s.timeline, { axis: 'seq', range: null, scrollY: 0, startup: false });
  assert.equal(s.tab, 'overview');
  assert.equal(s.filter.length, 200);
});

function memoryStorage(initial?: unknown): StateStorage & { saved: unknown[] } {
  const saved: unknown[] = [];
  return { saved, load: () => initial, save: (v) => saved.push(JSON.parse(JSON.stringify(v))) };
}

test('the store restores on start, notifies on change, saves once per burst and on flush', () => {
  const storage = memoryStorage(toPersisted(CUSTOM));
  const timers: (() => void)[] = [];
  const store = new BoardStore(storage, { setTimer: (run) => timers.push(run) });
  assert.deepEqual(store.state, CUSTOM, 'restored on reload');
  const heard: [number | null, number | null][] = [];
  store.subscribe((s, prev) => heard.push([prev.cursor, s.cursor]));
  store.update({ cursor: 42 });
  store.update((s) => ({ cursor: (s.cursor ?? 0) + 1 }));
  store.update({ cursor: 43 });
  assert.deepEqual(heard, [[41, 42], [42, 43]], 'a no-op update notifies nobody');
  assert.equal(timers.length, 1, 'one save scheduled for the burst');
  assert.equal(storage.saved.length, 0);
  timers[0]!();
  assert.deepEqual(fromPersisted(storage.saved[0]), { ...CUSTOM, cursor: 43 });
  store.update({ tab: 'timeline' });
  store.flush();
  assert.equal(fromPersisted(storage.saved.at(-1)).tab, 'timeline');
});

test('sessionStorage: round trip, and a refusing or broken storage is survivable', () => {
  const map = new Map<string, string>();
  const fake = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
  const s = sessionStorageFor('k', fake);
  assert.equal(s.load(), undefined);
  s.save(toPersisted(CUSTOM));
  assert.deepEqual(fromPersisted(s.load()), CUSTOM);
  map.set('k', '{not json');
  assert.equal(s.load(), undefined);
  const refusing = sessionStorageFor('k', { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } });
  assert.doesNotThrow(() => refusing.save({}));
  assert.equal(refusing.load(), undefined);
});

test('sorting and filtering rules', () => {
  assert.deepEqual(toggleSort({ column: 'id', descending: false }, 'id'), { column: 'id', descending: true });
  assert.deepEqual(toggleSort({ column: 'id', descending: true }, 'name'), { column: 'name', descending: false });
  assert.ok(passesStateFilter('', 'running'));
  assert.ok(passesStateFilter('dead', 'dead_exception'));
  assert.ok(!passesStateFilter('alive', 'dead_ok'));
  assert.ok(passesStateFilter('blocked', 'blocked') && !passesStateFilter('blocked', 'runnable'));
  assert.ok(passesNameFilter(' Work ', 'g2 worker'));
  assert.ok(!passesNameFilter('consumer', 'g2 worker'));
});

test('a state saved for another session (or another run of it) keeps only the arrangement: never its cursor or selection', () => {
  const saved = JSON.parse(JSON.stringify(toPersisted(CUSTOM, { session: 's1#0', trace: '/tmp/a.glt' })));
  assert.deepEqual(persistedSession(saved), { session: 's1#0', trace: '/tmp/a.glt' });
  assert.deepEqual(fromPersisted(saved, 's1#0'), CUSTOM, 'the same run: all of it');
  const other = fromPersisted(saved, 's1#1');
  assert.equal(other.cursor, null, 'follows the new run from its start');
  assert.equal(other.selected, null);
  assert.equal(other.filter, '');
  assert.equal(other.stateFilter, '');
  assert.deepEqual(other.timeline, { axis: 'seq', range: null, scrollY: 0, startup: true });
  assert.deepEqual([other.tab, other.sort, other.groups], [CUSTOM.tab, CUSTOM.sort, true]);
  assert.equal(fromPersisted(toPersisted(CUSTOM), 's2#0').cursor, null, 'a state saved for no session is another\'s too');
  // The store saves the session it was made for with the state.
  const storage = memoryStorage(saved);
  const store = new BoardStore(storage, { about: { session: 's2#0' }, setTimer: () => undefined });
  assert.equal(store.state.cursor, null);
  store.flush();
  assert.equal(persistedSession(storage.saved[0]).session, 's2#0');
});
