/**
 * The toolbar's buttons, their keys and the status line.
 *
 * Keys follow VS Code's debug toolbar (F5 continue, F6 pause, Ctrl+Alt+F10
 * step to the next switch) plus Left/Right for the previous/next switch.
 * Inside VS Code the webview forwards every keydown to the workbench from a
 * listener on `window`; the board handles the run keys on `document` and
 * stops their propagation, so a key press sends one command, not two.
 */

import type { BoardCommand } from '../../shared/protocol/board-messages';
import type { BoardActions, CursorMove, Frame, View } from '../frame';
import { el, icon, setAttr, setText } from './dom';

const RUN_BUTTONS: readonly [BoardCommand, string, string][] = [
  ['continue', 'Continue', 'F5'],
  ['pause', 'Pause', 'F6'],
  ['stepSwitch', 'Step to next switch', 'Ctrl+Alt+F10'],
];

const MOVE_BUTTONS: readonly [CursorMove, string, string][] = [
  ['first', 'First event', 'Home'],
  ['prevSwitch', 'Previous switch', '←'],
  ['nextSwitch', 'Next switch', '→'],
  ['last', 'Last event', 'End'],
];

export class ControlsView implements View {
  private readonly runButtons: HTMLButtonElement[] = [];
  private live = false;

  constructor(container: HTMLElement, private readonly status: HTMLElement, private readonly actions: BoardActions) {
    const run = el('div', { class: 'group', 'aria-label': 'Program' });
    for (const [cmd, label, key] of RUN_BUTTONS) {
      const b = button(cmd, label, key);
      b.addEventListener('click', () => this.actions.command(cmd));
      this.runButtons.push(b);
      run.append(b);
    }
    const move = el('div', { class: 'group', 'aria-label': 'Cursor' });
    for (const [cmd, label, key] of MOVE_BUTTONS) {
      const b = button(cmd, label, key);
      b.addEventListener('click', () => this.actions.move(cmd));
      move.append(b);
    }
    container.append(run, move);
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  render(frame: Frame): void {
    this.renderStatus(frame);
  }

  /** The cheap part, also run on its own between full frames while a trace loads. */
  renderStatus(frame: StatusInput): void {
    this.live = frame.session.live;
    for (const b of this.runButtons) b.disabled = !this.live;
    setText(this.status, statusLine(frame));
    setAttr(this.status, 'data-cursor', String(frame.cursor));
  }

  private onKey(e: KeyboardEvent): void {
    const run = runCommandOf(e);
    if (run !== null) {
      // Only a live board owns these keys; otherwise VS Code's own bindings apply.
      if (!this.live) return;
      e.preventDefault();
      e.stopPropagation();
      if (!e.repeat) this.actions.command(run);
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
    const move = e.key === 'ArrowLeft' ? 'prevSwitch' : e.key === 'ArrowRight' ? 'nextSwitch' : e.key === 'Home' ? 'first' : e.key === 'End' ? 'last' : null;
    if (move === null) return;
    e.preventDefault();
    this.actions.move(move);
  }
}

export function runCommandOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>): BoardCommand | null {
  const plain = !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
  if (e.key === 'F5' && plain) return 'continue';
  if (e.key === 'F6' && plain) return 'pause';
  if (e.key === 'F10' && (e.ctrlKey || e.metaKey) && e.altKey && !e.shiftKey) return 'stepSwitch';
  return null;
}

/** "event N of M · switch K of S · dropped D · <stop>": N counts events applied, so the last is "M of M". */
export type StatusInput = Pick<Frame, 'count' | 'cursor' | 'session' | 'index'>;

export function statusLine(frame: StatusInput): string {
  const parts: string[] = [];
  const { count, cursor, session } = frame;
  if (count === 0) parts.push(session.loading !== null ? 'loading…' : 'no events yet');
  else {
    const switches = frame.index.switchSeqs.length;
    parts.push(`event ${cursor + 1} of ${count}`, `switch ${frame.index.switchesThrough(cursor)} of ${switches}`);
  }
  if (session.loading !== null && count > 0) parts.push(Number.isNaN(session.loading) ? 'loading…' : `loading ${Math.floor(session.loading * 100)}%`);
  if (session.dropped > 0) parts.push(`dropped ${session.dropped}`);
  if (session.stop !== null) parts.push(session.stop);
  else if (session.ended) parts.push('ended');
  return parts.join(' · ');
}

function button(cmd: string, label: string, key: string): HTMLButtonElement {
  const b = el('button', { type: 'button', 'data-cmd': cmd, class: 'tool', title: `${label} (${key})`, 'aria-label': label });
  b.append(icon(cmd), el('span', { class: 'label' }, label));
  return b;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}
