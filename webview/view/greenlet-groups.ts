/**
 * The greenlets pane's grouped mode (board state `groups`): one row per
 * function × state with its count, biggest first; a row opens to its
 * members as chips (click one to select it), and "in the table" lists the
 * whole group there (the name filter on its function, the state filter on
 * its state). At most MAX_GROUPS rows are drawn; the rest are counted.
 */

import { STATE_WORDS } from '../../shared/present/greenlet-words';
import type { BoardActions, Frame, GreenletRow, View } from '../frame';
import { groupRows, type GreenletGroup } from '../derived/greenlet-groups';
import { el, fillChips, setAttr, setHidden, setText } from './dom';

const MAX_GROUPS = 200;

export class GreenletGroupsView implements View {
  private readonly box: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLElement;
  private readonly open = new Set<string>();
  private readonly rowNodes = new Map<string, { row: HTMLElement; head: HTMLButtonElement; count: HTMLElement; state: HTMLElement; members: HTMLElement }>();
  private cache: { rows: readonly GreenletRow[]; groups: GreenletGroup[] } | null = null;
  private groups: GreenletGroup[] = [];
  private lastKey = '';
  private lastFrame: Frame | null = null;

  constructor(body: HTMLElement, private readonly actions: BoardActions) {
    this.box = el('div', { class: 'groups', 'data-view': 'greenlet-groups', hidden: '' });
    this.list = el('div', { class: 'group-list', role: 'list' });
    this.more = el('p', { class: 'more', hidden: '' });
    this.box.append(this.list, this.more);
    body.append(this.box);
    this.box.addEventListener('click', (e) => this.onClick(e));
  }

  render(frame: Frame): void {
    this.lastFrame = frame;
    const shown = frame.board.groups;
    setHidden(this.box, !shown);
    if (!shown) return;
    if (this.cache?.rows !== frame.rows) this.cache = { rows: frame.rows, groups: groupRows(frame.rows) };
    this.groups = this.cache.groups;
    const key = `${frame.stateKey}|${frame.rows.length}|${frame.board.selected}|${[...this.open].join(',')}|${this.groups.length}`;
    if (key === this.lastKey && this.list.childElementCount > 0) return;
    this.lastKey = key;
    const drawn = this.groups.slice(0, MAX_GROUPS);
    const nodes = drawn.map((g) => this.row(g, frame));
    const children = this.list.children;
    if (children.length !== nodes.length || nodes.some((n, i) => children[i] !== n)) this.list.replaceChildren(...nodes);
    setHidden(this.more, this.groups.length <= MAX_GROUPS);
    setText(this.more, `${this.groups.length - MAX_GROUPS} more groups (filter the greenlets to see them)`);
    if (this.rowNodes.size > 4 * MAX_GROUPS) {
      const keep = new Set(drawn.map((g) => g.key));
      for (const k of [...this.rowNodes.keys()]) if (!keep.has(k)) this.rowNodes.delete(k);
    }
  }

  private row(g: GreenletGroup, frame: Frame): HTMLElement {
    let nodes = this.rowNodes.get(g.key);
    if (nodes === undefined) {
      const row = el('div', { class: 'group', role: 'listitem', 'data-group': g.key });
      const head = el('button', { type: 'button', class: 'group-head', 'aria-expanded': 'false' });
      const count = el('span', { class: 'group-count' });
      const state = el('span', { class: 'group-state' });
      head.append(count, el('span', { class: 'group-func' }, g.func || 'greenlet'), state);
      const members = el('div', { class: 'group-members', hidden: '' });
      row.append(head, members);
      nodes = { row, head, count, state, members };
      this.rowNodes.set(g.key, nodes);
    }
    const open = this.open.has(g.key);
    setAttr(nodes.row, 'data-count', String(g.ids.length));
    setAttr(nodes.row, 'data-state', g.state);
    setAttr(nodes.head, 'aria-expanded', open ? 'true' : 'false');
    setText(nodes.count, `×${g.ids.length}`);
    setText(nodes.state, g.stateText);
    setHidden(nodes.members, !open);
    if (open) {
      if (nodes.members.childElementCount === 0) {
        const chips = el('div', { class: 'chips' });
        const inTable = el('button', { type: 'button', class: 'tool', 'data-role': 'group-in-table', title: `List these greenlets in the table (${STATE_WORDS[g.state]} ones named like ${g.func})` }, 'in the table');
        nodes.members.append(chips, inTable);
      }
      fillChips(nodes.members.firstElementChild!, g.ids, frame.labels, frame.board.selected);
    }
    return nodes.row;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target : null;
    const row = target?.closest('[data-group]');
    const key = row?.getAttribute('data-group');
    if (target === null || key === null || key === undefined) return;
    const chip = target.closest('.chip[data-g]');
    if (chip !== null) {
      this.actions.select(Number(chip.getAttribute('data-g')));
      return;
    }
    const group = this.groups.find((g) => g.key === key);
    if (target.closest('[data-role=group-in-table]') !== null && group !== undefined) {
      this.actions.update({ groups: false, filter: group.func, stateFilter: group.state });
      return;
    }
    if (target.closest('.group-head') === null) return;
    if (this.open.has(key)) this.open.delete(key);
    else this.open.add(key);
    this.lastKey = '';
    if (this.lastFrame !== null) this.render(this.lastFrame);
  }
}
