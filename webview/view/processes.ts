/**
 * The processes of a recording that followed children (`greenlet-lens view`
 * of run.glt with run.glt.d/): a selector above the board. Each process has
 * its own page (?process=N), so choosing one loads its board, with its own
 * saved view state (host.ts keys it by the trace's URL).
 */

import type { BoardProcess } from '../../shared/protocol/board-messages';
import { el } from './dom';

export function processSelector(processes: readonly BoardProcess[], go: (href: string) => void): HTMLElement {
  const nav = el('nav', { class: 'processes', 'data-role': 'processes', 'aria-label': 'Processes of this recording' });
  const label = el('label', {}, `${processes.length} processes: `);
  const select = el('select', { 'data-role': 'process-select' });
  for (const p of processes) {
    const option = el('option', { value: p.href }, p.label);
    option.selected = p.current;
    select.append(option);
  }
  select.addEventListener('change', () => go(select.value));
  label.append(select);
  nav.append(label);
  return nav;
}
