/**
 * The greenlets table's rows at the cursor: filtered, sorted, and with the
 * time each greenlet spent running and waiting, looked up from the
 * timeline's lanes (prefix sums, O(log n) each) rather than replayed.
 */

import type { TraceState } from '../shared/model/state';
import type { TraceIndex } from './derived/trace-index';
import { stateText } from '../shared/present/greenlet-words';
import { exceptionText } from './derived/text';
import type { GreenletRow } from './frame';
import { passesNameFilter, passesStateFilter, type BoardState, type ColumnId } from './state/board-state';

export function buildRows(state: TraceState, index: TraceIndex, cursor: number, cursorTime: number, board: BoardState): GreenletRow[] {
  const rows: GreenletRow[] = [];
  for (const g of state.greenlets) {
    if (!passesStateFilter(board.stateFilter, g.state) || !passesNameFilter(board.filter, g.label)) continue;
    const totals = index.lanes.get(g.id)?.totalsAt(cursor, cursorTime);
    rows.push({
      g,
      stateText: stateText(g),
      running: totals?.running ?? 0,
      waiting: totals?.blocked ?? 0,
      runnable: totals?.runnable ?? 0,
    });
  }
  const key = sortKey(board.sort.column);
  const dir = board.sort.descending ? -1 : 1;
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), 'en', { numeric: true });
    return c !== 0 ? c * dir : a.g.id - b.g.id;
  });
  return rows;
}

function sortKey(column: ColumnId): (r: GreenletRow) => number | string {
  switch (column) {
    case 'id': return (r) => r.g.id;
    case 'name': return (r) => r.g.name;
    case 'state': return (r) => r.stateText;
    case 'started': return (r) => Number(r.g.flags.started);
    case 'ready': return (r) => Number(r.g.flags.ready);
    case 'successful': return (r) => Number(r.g.flags.successful);
    case 'value': return (r) => r.g.flags.value ?? '';
    case 'exception': return (r) => exceptionText(r.g);
    case 'parent': return (r) => r.g.parent;
    case 'switches': return (r) => r.g.switches;
    case 'running': return (r) => r.running;
    case 'waiting': return (r) => r.waiting;
  }
}
