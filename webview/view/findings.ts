/**
 * The Findings tab: what the findings engine (shared/analysis) says is wrong
 * as of the newest event, worst first; clicking one moves the cursor to the
 * event where it became true, selects its first greenlet and, in VS Code,
 * opens its line. Below, "why is it not running?" for the selected
 * greenlet at the cursor. Program text only ever enters through textContent.
 */

import type { Finding } from '../../shared/analysis/finding';
import { chainSteps, type WhyAnswer } from '../../shared/analysis/why';
import { lineText } from '../../shared/present/finding-words';
import type { BoardActions, Frame, View } from '../frame';
import { el, setText } from './dom';

export class FindingsView implements View {
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly whyTitle: HTMLElement;
  private readonly whyVerdict: HTMLElement;
  private readonly whySteps: HTMLElement;
  private shown: readonly Finding[] | null = null;
  private shownWhy: WhyAnswer | null | undefined = undefined;

  constructor(body: HTMLElement, private readonly actions: BoardActions) {
    const wrap = el('div', { class: 'findings', 'data-view': 'findings' });
    this.empty = el('p', { class: 'none', 'data-role': 'no-findings' }, 'No findings.');
    this.list = el('ol', { class: 'finding-list' });
    const why = el('section', { class: 'why', 'data-view': 'why' });
    this.whyTitle = el('h3', {}, 'Why is it not running?');
    this.whyVerdict = el('p', { 'data-role': 'why-verdict' }, 'Select a greenlet to see what it waits on and who could wake it.');
    this.whySteps = el('ol', { 'data-role': 'why-steps' });
    why.append(this.whyTitle, this.whyVerdict, this.whySteps);
    wrap.append(this.empty, this.list, why);
    body.append(wrap);
    this.list.addEventListener('click', (e) => {
      const item = e.target instanceof Element ? e.target.closest('[data-finding]') : null;
      const f = item === null ? undefined : this.shown?.find((x) => x.id === item.getAttribute('data-finding'));
      if (f !== undefined) this.actions.showFinding(f);
    });
  }

  render(frame: Frame): void {
    if (frame.findings !== this.shown && frame.findings !== null) {
      this.shown = frame.findings;
      this.empty.hidden = frame.findings.length > 0;
      this.list.replaceChildren(...frame.findings.map(item));
    }
    if (frame.why !== this.shownWhy) {
      this.shownWhy = frame.why;
      const w = frame.why;
      setText(this.whyTitle, w === null ? 'Why is it not running?' : `Why is ${frame.labels.get(w.g) ?? `g${w.g}`} not running?`);
      setText(this.whyVerdict, w === null ? 'Select a greenlet to see what it waits on and who could wake it.' : w.headline);
      this.whySteps.replaceChildren(...(w === null ? [] : chainSteps(w)).map((s) => {
        const li = el('li', { 'data-depth': String(s.depth) }, s.text);
        li.style.paddingLeft = `${s.depth * 1.2}em`;
        if (s.g !== null) li.setAttribute('data-g', String(s.g));
        return li;
      }));
    }
  }
}

function item(f: Finding): HTMLElement {
  const b = el('button', { type: 'button', class: 'finding', 'data-finding': f.id, 'data-kind': f.kind, 'data-severity': f.severity, title: `${f.summary} (event ${f.seq + 1})` });
  const site = f.sites[0] ?? null;
  b.append(
    el('span', { class: 'severity' }, f.severity),
    el('span', { class: 'summary' }, f.summary),
    el('span', { class: 'where', 'data-role': 'line' }, site === null ? `event ${f.seq + 1}` : lineText(site)),
    el('span', { class: 'message', 'data-role': 'message' }, f.message),
  );
  const li = el('li');
  li.append(b);
  return li;
}
