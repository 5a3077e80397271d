/**
 * The greenlets grouped by function and state, like `py-spy dump`'s or
 * gotraceui's goroutine groups: "worker · blocked on Queue#1.get · 1000".
 * The state is the table's state cell (a wait names its object), so waiters
 * on different objects are different groups. Pure; one pass over the rows.
 */

import type { GreenletRow } from '../frame';

export interface GreenletGroup {
  /** `func|state text`: stable across frames, for the expanded set. */
  readonly key: string;
  readonly func: string;
  readonly stateText: string;
  /** The state name of its greenlets (all alike). */
  readonly state: GreenletRow['g']['state'];
  /** Member ids, in the rows' order. */
  readonly ids: readonly number[];
}

/** Groups of `rows` (already filtered), biggest first, then by function and state. */
export function groupRows(rows: readonly GreenletRow[]): GreenletGroup[] {
  const groups = new Map<string, { key: string; func: string; stateText: string; state: GreenletRow['g']['state']; ids: number[] }>();
  for (const r of rows) {
    const key = `${r.g.func}|${r.stateText}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, func: r.g.func, stateText: r.stateText, state: r.g.state, ids: [] };
      groups.set(key, group);
    }
    group.ids.push(r.g.id);
  }
  return [...groups.values()].sort((a, b) => b.ids.length - a.ids.length || a.func.localeCompare(b.func) || a.stateText.localeCompare(b.stateText));
}
