/**
 * The page's frame: toolbar (title, controls, status), the deadlock banner,
 * tabs, and one pane per view. "Overview" shows every pane at once but the
 * findings (so each DOM hook is visible without clicking anything); the
 * other tabs give one pane the whole window. Views fill the containers
 * returned here.
 */

import { TABS, type TabId } from '../state/board-state';
import { el } from './dom';

export interface Layout {
  readonly title: HTMLElement;
  readonly program: HTMLElement;
  readonly runtime: HTMLElement;
  readonly controls: HTMLElement;
  readonly status: HTMLElement;
  readonly banner: HTMLElement;
  readonly notice: HTMLElement;
  /** Why a recorded trace could not be read (fully): truncated, corrupt, another format, not a trace, not found. */
  readonly problem: HTMLElement;
  readonly tabs: HTMLElement;
  /** The Findings tab's button, whose label carries the count. */
  readonly findingsTab: HTMLElement;
  readonly panes: Readonly<Record<PaneId, Pane>>;
}

export type PaneId = 'timeline' | 'greenlets' | 'waitgraph' | 'objects' | 'spawntree' | 'findings';

export interface Pane {
  readonly section: HTMLElement;
  /** The pane's header, after its title: room for the view's own tools. */
  readonly tools: HTMLElement;
  readonly body: HTMLElement;
}

const TAB_LABELS: Readonly<Record<TabId, string>> = {
  overview: 'Overview',
  greenlets: 'Greenlets',
  timeline: 'Timeline',
  objects: 'Queues, events & locks',
  waitgraph: 'Wait-for graph',
  spawntree: 'Spawn tree',
  findings: 'Findings',
};

const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  timeline: 'Timeline',
  greenlets: 'Greenlets',
  waitgraph: 'Wait-for graph',
  objects: 'Queues, events & locks',
  spawntree: 'Spawn tree',
  findings: 'Findings',
};

export function buildLayout(root: HTMLElement, boardTitle: string, onTab: (tab: TabId) => void): Layout {
  const title = el('span', { class: 'board-title', 'data-role': 'title' }, boardTitle);
  const program = el('span', { class: 'program', 'data-role': 'program' });
  const runtime = el('span', { class: 'runtime', 'data-role': 'runtime' });
  const brand = el('div', { class: 'brand' });
  brand.append(el('span', { class: 'app-name' }, 'Greenlet Lens'), title, program, runtime);
  const controls = el('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Run and cursor controls' });
  const status = el('div', { class: 'status', 'data-role': 'status', role: 'status', 'aria-live': 'polite' });
  const toolbar = el('header', { class: 'toolbar' });
  toolbar.append(brand, controls, status);

  const banner = el('div', { class: 'banner deadlock', 'data-role': 'deadlock', role: 'alert', hidden: '' });
  const notice = el('div', { class: 'banner notice', 'data-role': 'notice', hidden: '' });
  const problem = el('div', { class: 'banner problem', 'data-role': 'trace-problem', role: 'alert', hidden: '' });

  const tabs = el('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
  let findingsTab: HTMLElement | null = null;
  for (const tab of TABS) {
    const b = el('button', { type: 'button', role: 'tab', 'data-tab': tab, class: 'tab' }, TAB_LABELS[tab]);
    b.addEventListener('click', () => onTab(tab));
    tabs.append(b);
    if (tab === 'findings') findingsTab = b;
  }

  const main = el('main', { class: 'panes' });
  const panes = {} as Record<PaneId, Pane>;
  for (const id of Object.keys(PANE_TITLES) as PaneId[]) {
    const section = el('section', { class: 'pane', 'data-pane': id, 'aria-label': PANE_TITLES[id] });
    const header = el('header', { class: 'pane-header' });
    const tools = el('div', { class: 'pane-tools' });
    header.append(el('h2', {}, PANE_TITLES[id]), tools);
    const body = el('div', { class: 'pane-body' });
    section.append(header, body);
    main.append(section);
    panes[id] = { section, tools, body };
  }
  root.replaceChildren(toolbar, problem, banner, notice, tabs, main);
  return { title, program, runtime, controls, status, banner, notice, problem, tabs, findingsTab: findingsTab!, panes };
}

/** Marks the active tab; CSS (body[data-active-tab]) does the showing and hiding. */
export function showTab(layout: Layout, tab: TabId): void {
  // Not data-tab: the tab buttons carry that, and a selector for them must not match the body.
  if (document.body.getAttribute('data-active-tab') === tab) return;
  document.body.setAttribute('data-active-tab', tab);
  for (const b of Array.from(layout.tabs.children)) {
    const active = b.getAttribute('data-tab') === tab;
    b.setAttribute('aria-selected', active ? 'true' : 'false');
    b.classList.toggle('active', active);
  }
}
