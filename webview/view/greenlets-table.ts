/**
 * The greenlets table: filter, sort, select. Rows are virtual above
 * VIRTUAL_THRESHOLD: only those in the scrolled window (plus a margin) are in
 * the DOM, between two spacer rows that keep the scrollbar honest, so 10k
 * greenlets cost the same per frame as 50. At or below the threshold every
 * row is present (tests rely on `tr[data-g]` for each). Rows are keyed by
 * greenlet and reused; a cell is written only when its text changed.
 */

import type { BoardActions, Frame, GreenletRow, View } from '../frame';
import { STATE_WORDS, waitDetail } from '../../shared/present/greenlet-words';
import { durationText, exceptionText, flagText } from '../derived/text';
import { COLUMNS, STATE_FILTERS, toggleSort, type ColumnId, type StateFilter } from '../state/board-state';
import { el, setAttr, setHidden, setText } from './dom';

export const VIRTUAL_THRESHOLD = 200;
const ROW_HEIGHT = 22;
const OVERSCAN = 20;

const HEADINGS: Readonly<Record<ColumnId, string>> = {
  id: 'id', name: 'name', state: 'state', started: 'started', ready: 'ready()', successful: 'successful()',
  value: 'value', exception: 'exception', parent: 'parent', switches: 'switches', running: 'running', waiting: 'waiting',
};

interface RowNodes {
  readonly tr: HTMLTableRowElement;
  readonly cells: HTMLTableCellElement[];
}

export class GreenletsTable implements View {
  private readonly scroller: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headers = new Map<ColumnId, HTMLTableCellElement>();
  private readonly filter: HTMLInputElement;
  private readonly stateFilter: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly groupToggle: HTMLButtonElement;
  private readonly topSpacer = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly bottomSpacer = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly rowCache = new Map<number, RowNodes>();
  private frame: Frame | null = null;
  private scrollPending = false;
  private revealed: number | null = null;
  private scrollTop = 0;
  private viewHeight = 0;

  constructor(body: HTMLElement, tools: HTMLElement, private readonly actions: BoardActions) {
    this.filter = el('input', { type: 'search', 'data-role': 'filter', placeholder: 'Filter by name or id', 'aria-label': 'Filter greenlets by name' });
    this.filter.addEventListener('input', () => this.actions.update({ filter: this.filter.value }));
    this.stateFilter = el('select', { 'data-role': 'state-filter', 'aria-label': 'Filter greenlets by state' });
    for (const f of STATE_FILTERS) this.stateFilter.append(el('option', { value: f }, filterWords(f)));
    this.stateFilter.addEventListener('change', () => {
      const value = STATE_FILTERS.find((f) => f === this.stateFilter.value) ?? '';
      this.actions.update({ stateFilter: value });
    });
    this.count = el('span', { class: 'count' });
    this.groupToggle = el('button', {
      type: 'button', class: 'tool', 'data-role': 'group-toggle', 'aria-pressed': 'false',
      title: 'Group the greenlets by function and state, with counts',
    }, 'group');
    this.groupToggle.addEventListener('click', () => this.actions.update({ groups: !(this.frame?.board.groups ?? false) }));
    tools.append(this.filter, this.stateFilter, this.groupToggle, this.count);

    this.scroller = el('div', { class: 'table-scroll', 'data-view': 'greenlets' });
    const table = el('table', { class: 'greenlets' });
    const head = el('tr');
    for (const col of COLUMNS) {
      const th = el('th', { scope: 'col', 'data-col': col, tabindex: '0', title: `Sort by ${HEADINGS[col]}` }, HEADINGS[col]);
      const sort = (): void => this.actions.update({ sort: toggleSort(this.frame?.board.sort ?? { column: 'id', descending: false }, col) });
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sort();
        }
      });
      this.headers.set(col, th);
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    this.tbody = el('tbody');
    table.append(thead, this.tbody);
    this.scroller.append(table);
    body.append(this.scroller);

    this.tbody.addEventListener('click', (e) => this.onClick(e));
    // Scroll position and height are cached from events: reading them while
    // rendering would force a layout after the other views' DOM writes.
    new ResizeObserver(() => (this.viewHeight = this.scroller.clientHeight)).observe(this.scroller);
    this.scroller.addEventListener('scroll', () => {
      this.scrollTop = this.scroller.scrollTop;
      if (this.scrollPending || this.frame === null || this.frame.rows.length <= VIRTUAL_THRESHOLD) return;
      this.scrollPending = true;
      requestAnimationFrame(() => {
        this.scrollPending = false;
        if (this.frame !== null) this.renderRows(this.frame);
      });
    });
  }

  render(frame: Frame): void {
    this.frame = frame;
    const { board } = frame;
    // Never overwrite what the user is typing with an older value.
    if (document.activeElement !== this.filter && this.filter.value !== board.filter) this.filter.value = board.filter;
    if (this.stateFilter.value !== board.stateFilter) this.stateFilter.value = board.stateFilter;
    setAttr(this.groupToggle, 'aria-pressed', board.groups ? 'true' : 'false');
    setHidden(this.scroller, board.groups);
    const total = frame.state.greenlets.length;
    setText(this.count, frame.rows.length === total ? `${total}` : `${frame.rows.length} of ${total}`);
    // Grouped: the groups view (greenlet-groups.ts) lists them; no rows to keep up to date.
    if (board.groups) return;
    for (const [col, th] of this.headers) {
      const sorted = board.sort.column === col;
      setAttr(th, 'aria-sort', sorted ? (board.sort.descending ? 'descending' : 'ascending') : null);
    }
    this.scrollToSelection(frame);
    this.renderRows(frame);
  }

  /** Brings a newly selected greenlet's row into view (selection may come from another view). */
  private scrollToSelection(frame: Frame): void {
    const g = frame.board.selected;
    if (g === this.revealed) return;
    this.revealed = g;
    if (g === null) return;
    const i = frame.rows.findIndex((r) => r.g.id === g);
    if (i < 0) return;
    const top = i * ROW_HEIGHT;
    const view = this.viewHeight - ROW_HEIGHT * 2;
    if (top < this.scrollTop || top > this.scrollTop + view) {
      this.scrollTop = Math.max(0, top - view / 2);
      this.scroller.scrollTop = this.scrollTop;
    }
  }

  private renderRows(frame: Frame): void {
    const rows = frame.rows;
    let first = 0;
    let last = rows.length;
    if (rows.length > VIRTUAL_THRESHOLD) {
      first = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT) - OVERSCAN);
      const visible = Math.ceil(Math.max(this.viewHeight, 400) / ROW_HEIGHT);
      last = Math.min(rows.length, first + visible + OVERSCAN * 2);
    }
    this.topSpacer.style.height = `${first * ROW_HEIGHT}px`;
    this.bottomSpacer.style.height = `${(rows.length - last) * ROW_HEIGHT}px`;
    const nodes: HTMLTableRowElement[] = [this.topSpacer];
    for (let i = first; i < last; i++) nodes.push(this.row(rows[i]!, frame));
    nodes.push(this.bottomSpacer);
    // A bounded cache: rows scrolled far away are rebuilt when they come back.
    if (this.rowCache.size > 4 * (last - first) + 400) {
      const keep = new Set(rows.slice(first, last).map((r) => r.g.id));
      for (const id of [...this.rowCache.keys()]) if (!keep.has(id)) this.rowCache.delete(id);
    }
    const children = this.tbody.children;
    const same = children.length === nodes.length && nodes.every((n, i) => children[i] === n);
    if (!same) this.tbody.replaceChildren(...nodes);
  }

  private row(r: GreenletRow, frame: Frame): HTMLTableRowElement {
    const g = r.g;
    let nodes = this.rowCache.get(g.id);
    if (nodes === undefined) {
      const tr = el('tr', { 'data-g': String(g.id) });
      const cells = COLUMNS.map((col) => el('td', { 'data-col': col }));
      tr.append(...cells);
      nodes = { tr, cells };
      this.rowCache.set(g.id, nodes);
    }
    const { tr, cells } = nodes;
    const values = cellTexts(r, frame.labels);
    COLUMNS.forEach((col, i) => {
      const td = cells[i]!;
      setText(td, values[col]);
      if (col === 'value' || col === 'exception' || col === 'name') setAttr(td, 'title', values[col] === '' ? null : values[col]);
      if (col === 'parent') setAttr(td, 'title', frame.labels.get(g.parent) ?? null);
    });
    const stateCell = cells[COLUMNS.indexOf('state')]!;
    setAttr(stateCell, 'data-state', g.state);
    setAttr(stateCell, 'title', g.blockedOn !== null ? waitDetail(g.blockedOn) : null);
    const waitingCell = cells[COLUMNS.indexOf('waiting')]!;
    setAttr(waitingCell, 'title', `blocked ${durationText(r.waiting)}; runnable (ready, not yet running) ${durationText(r.runnable)}`);
    const selected = frame.board.selected === g.id;
    tr.classList.toggle('selected', selected);
    setAttr(tr, 'aria-selected', selected ? 'true' : 'false');
    tr.classList.toggle('current', frame.state.current === g.id);
    tr.classList.toggle('stuck', frame.deadlock?.greenlets.includes(g.id) === true);
    return tr;
  }

  private onClick(e: MouseEvent): void {
    const tr = e.target instanceof Element ? e.target.closest('tr[data-g]') : null;
    if (tr !== null) this.actions.select(Number(tr.getAttribute('data-g')));
  }
}

export function cellTexts(r: GreenletRow, labels: ReadonlyMap<number, string>): Record<ColumnId, string> {
  const g = r.g;
  return {
    id: String(g.id),
    name: g.name,
    state: r.stateText,
    started: flagText(g.flags.started),
    ready: flagText(g.flags.ready),
    successful: flagText(g.flags.successful),
    value: g.flags.value ?? '',
    exception: exceptionText(g),
    parent: g.parent === 0 ? '' : labels.has(g.parent) ? `g${g.parent}` : `g${g.parent}?`,
    switches: String(g.switches),
    running: durationText(r.running),
    waiting: durationText(r.waiting),
  };
}

/** A state filter's option: a state in the words of the state cell, or a group of them. */
function filterWords(f: StateFilter): string {
  switch (f) {
    case '': return 'all states';
    case 'alive': return 'alive';
    case 'dead': return `${STATE_WORDS.dead_ok} or ${STATE_WORDS.dead_exception}`;
    default: return STATE_WORDS[f];
  }
}
