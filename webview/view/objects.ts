/**
 * Queues, Events/AsyncResults and locks/semaphores as cards: a queue's items
 * in order and who waits to get or put; an event's state, value and waiters;
 * a lock's holders and waiters. Greenlets appear as chips ([data-g]) that
 * select on click. Cards are keyed by object id and reused across frames.
 */

import type { EventObjectView, LockView, QueueView } from '../../shared/model/state';
import type { BoardActions, Frame, View } from '../frame';
import { el, fillChips, reconcile, setAttr, setHidden, setText } from './dom';

/** Items listed per queue; the rest are counted ("… N more") outside the list. */
const MAX_ITEMS = 200;
/** Cards per section; a program with thousands of objects gets a count of the rest. */
const MAX_CARDS = 300;

interface Section {
  readonly list: HTMLElement;
  readonly heading: HTMLElement;
  readonly more: HTMLElement;
  readonly cache: Map<string, HTMLElement>;
}

export class ObjectsView implements View {
  private readonly queues: Section;
  private readonly events: Section;
  private readonly locks: Section;
  private lastKey = '';

  constructor(body: HTMLElement, private readonly actions: BoardActions) {
    const wrap = el('div', { class: 'objects' });
    this.queues = section(wrap, 'queues', 'Queues');
    this.events = section(wrap, 'events', 'Events & results');
    this.locks = section(wrap, 'locks', 'Locks & semaphores');
    body.append(wrap);
    wrap.addEventListener('click', (e) => {
      const chip = e.target instanceof Element ? e.target.closest('[data-g]') : null;
      if (chip !== null) this.actions.select(Number(chip.getAttribute('data-g')));
    });
  }

  render(frame: Frame): void {
    const key = `${frame.stateKey}|${frame.board.selected}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const { state, labels } = frame;
    const selected = frame.board.selected;
    fill(this.queues, 'Queues', state.queues, 'data-queue', createQueue, (node, q) => updateQueue(node, q, labels, selected));
    fill(this.events, 'Events & results', state.events, 'data-event', createEvent, (node, ev) => updateEvent(node, ev, labels, selected));
    fill(this.locks, 'Locks & semaphores', state.locks, 'data-lock', createLock, (node, l) => updateLock(node, l, labels, selected));
  }
}

function section(parent: HTMLElement, view: string, title: string): Section {
  const box = el('section', { class: 'object-section' });
  const heading = el('h3', {}, title);
  const list = el('div', { class: 'cards', 'data-view': view });
  const more = el('div', { class: 'more', hidden: '' });
  box.append(heading, list, more);
  parent.append(box);
  return { list, heading, more, cache: new Map() };
}

function fill<T extends { id: number }>(
  s: Section, title: string, items: readonly T[], attr: string,
  create: (item: T) => HTMLElement, update: (node: HTMLElement, item: T) => void,
): void {
  setText(s.heading, `${title} (${items.length})`);
  const shown = items.slice(0, MAX_CARDS);
  reconcile(s.list, shown, (o) => String(o.id), (o) => {
    const node = create(o);
    node.setAttribute(attr, String(o.id));
    return node;
  }, update, s.cache);
  setHidden(s.more, items.length <= MAX_CARDS);
  setText(s.more, `… ${items.length - shown.length} more`);
}

/** A card with a header (label, class name, extra) and labelled rows. */
function card(rows: readonly [string, HTMLElement][], extra: HTMLElement[]): HTMLElement {
  const node = el('article', { class: 'card' });
  const header = el('header', {});
  header.append(el('span', { class: 'obj-label' }), el('span', { class: 'obj-class' }), ...extra);
  node.append(header);
  for (const [label, value] of rows) {
    const row = el('div', { class: 'row' });
    row.append(el('span', { class: 'k' }, label), value);
    node.append(row);
  }
  return node;
}

function setHeader(node: HTMLElement, label: string, className: string): void {
  setText(node.querySelector('.obj-label')!, label);
  setText(node.querySelector('.obj-class')!, className);
}

function createQueue(): HTMLElement {
  const meta = el('span', { class: 'meta' });
  meta.append('maxsize ', el('span', { 'data-role': 'maxsize' }), el('span', { class: 'size' }));
  const node = card([
    ['items', el('div', { class: 'items-box' })],
    ['getters', el('span', { class: 'chips', 'data-role': 'getters' })],
    ['putters', el('span', { class: 'chips', 'data-role': 'putters' })],
  ], [meta]);
  const box = node.querySelector('.items-box')!;
  box.append(el('ol', { class: 'items', 'data-role': 'items' }), el('span', { class: 'more-items', hidden: '' }));
  return node;
}

function updateQueue(node: HTMLElement, q: QueueView, labels: ReadonlyMap<number, string>, selected: number | null): void {
  setHeader(node, q.label, q.className === q.type ? q.type : `${q.className} (${q.type})`);
  setText(node.querySelector('[data-role=maxsize]')!, q.maxsize === null ? 'unbounded' : String(q.maxsize));
  const full = q.maxsize !== null && q.maxsize > 0 && q.items.length >= q.maxsize;
  setText(node.querySelector('.size')!, ` · ${q.items.length} item${q.items.length === 1 ? '' : 's'}${full ? ' (full)' : ''}`);
  const list = node.querySelector('[data-role=items]')!;
  const shown = q.items.slice(0, MAX_ITEMS);
  // Items have no identity of their own: rewrite the list only when its text changed.
  const texts = Array.from(list.children, (li) => li.textContent ?? '');
  if (texts.length !== shown.length || texts.some((t, i) => t !== shown[i])) {
    list.replaceChildren(...shown.map((item) => el('li', { title: item }, item)));
  }
  const more = node.querySelector<HTMLElement>('.more-items')!;
  setHidden(more, q.items.length <= MAX_ITEMS);
  setText(more, `… ${q.items.length - shown.length} more`);
  fillChips(node.querySelector('[data-role=getters]')!, q.getters, labels, selected);
  fillChips(node.querySelector('[data-role=putters]')!, q.putters, labels, selected);
}

function createEvent(): HTMLElement {
  return card([
    ['value', el('code', { class: 'value', 'data-role': 'value' })],
    ['exception', el('code', { class: 'value error', 'data-role': 'exception' })],
    ['waiters', el('span', { class: 'chips', 'data-role': 'waiters' })],
  ], [el('span', { class: 'flag', 'data-role': 'state' })]);
}

function updateEvent(node: HTMLElement, ev: EventObjectView, labels: ReadonlyMap<number, string>, selected: number | null): void {
  setHeader(node, ev.label, ev.className === ev.type ? ev.type : `${ev.className} (${ev.type})`);
  const flag = node.querySelector('[data-role=state]')!;
  setText(flag, ev.set ? 'set' : 'not set');
  setAttr(flag, 'data-set', ev.set ? 'true' : 'false');
  const value = node.querySelector('[data-role=value]')!;
  setText(value, ev.value ?? '');
  setAttr(value, 'title', ev.value);
  const exception = node.querySelector('[data-role=exception]')!;
  setText(exception, ev.exception ?? '');
  // An Event has no value or exception at all: those rows only clutter its card.
  setHidden(value.parentElement as HTMLElement, ev.type === 'Event');
  setHidden(exception.parentElement as HTMLElement, ev.exception === null);
  fillChips(node.querySelector('[data-role=waiters]')!, ev.waiters, labels, selected);
}

function createLock(): HTMLElement {
  return card([
    ['holders', el('span', { class: 'chips', 'data-role': 'holders' })],
    ['waiters', el('span', { class: 'chips', 'data-role': 'waiters' })],
  ], [el('span', { class: 'meta capacity' })]);
}

function updateLock(node: HTMLElement, l: LockView, labels: ReadonlyMap<number, string>, selected: number | null): void {
  setHeader(node, l.label, l.className === l.type ? l.type : `${l.className} (${l.type})`);
  const free = l.capacity === null ? null : Math.max(0, l.capacity - l.holders.length);
  setText(node.querySelector('.capacity')!, l.capacity === null ? '' : `${free} of ${l.capacity} free`);
  fillChips(node.querySelector('[data-role=holders]')!, l.holders, labels, selected);
  fillChips(node.querySelector('[data-role=waiters]')!, l.waiters, labels, selected);
}
