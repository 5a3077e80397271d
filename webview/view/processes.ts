/**
 * The processes of a recording that followed children (`greenlet-lens view`
 * of run.glt with run.glt.d/): a selector above the board. Each process has
 * its own page (?process=N), so choosing one loads its board, with its own
 * saved view state (host.ts keys it by the trace's URL). The last choice
 * (?process=all) shows every process side by side on one timeline; there
 * a note beside the selector says which process the tables show.
 */

import type { BoardProcess } from '../../shared/protocol/board-messages';
import { el } from './dom';

export function processSelector(processes: readonly BoardProcess[], go: (href: string) => void): HTMLElement {
  const nav = el('nav', { class: 'processes', 'data-role': 'processes', 'aria-label': 'Processes of this recording' });
  const count = processes.filter((p) => p.all !== true).length;
  const label = el('label', {}, `${count} processes: `);
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

/** The side-by-side board's note of which process the tables show, made on first use. */
export function focusNoteOf(nav: HTMLElement): HTMLElement {
  let note = nav.querySelector<HTMLElement>('[data-role=process-focus]');
  if (note === null) {
    note = el('span', { class: 'process-focus', 'data-role': 'process-focus' });
    nav.append(note);
  }
  return note;
}
