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
import { involvedIn } from '../derived/trace-index';
import { el, icon, setAttr, setHidden, setText } from './dom';

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

const GREENLET_BUTTONS: readonly [CursorMove, string, string][] = [
  ['prevOfGreenlet', 'Previous event of the selected greenlet', 'Shift+←'],
  ['nextOfGreenlet', 'Next event of the selected greenlet', 'Shift+→'],
];

/** Play speeds, in switches per second. */
export const PLAY_SPEEDS: readonly number[] = [1, 5, 20, 100];
const DEFAULT_SPEED = 5;

export class ControlsView implements View {
  private readonly runButtons: HTMLButtonElement[] = [];
  private live = false;
  /** The last status drawn: where the cursor is, for the replay inputs. */
  private shown: StatusInput | null = null;
  private readonly replay: HTMLElement;
  private readonly scrubber: HTMLInputElement;
  private readonly jumpEvent: HTMLInputElement;
  private readonly jumpTime: HTMLInputElement;
  private readonly speed: HTMLSelectElement;
  private readonly playButton: HTMLButtonElement;
  private readonly greenletButtons: HTMLButtonElement[] = [];
  /** The scrubber value waiting for the next animation frame (drags fire many input events per frame). */
  private scrubPending: number | null = null;
  private scrubbing = false;
  private playTimer: ReturnType<typeof setTimeout> | null = null;

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
    for (const [cmd, label, key] of GREENLET_BUTTONS) {
      const b = button(cmd, label, key);
      b.addEventListener('click', () => this.actions.move(cmd));
      this.greenletButtons.push(b);
      move.append(b);
    }

    // Replay: scrubber, jumps, play. Only for recorded traces (hidden while live).
    this.replay = el('div', { class: 'group replay', 'aria-label': 'Replay', 'data-role': 'replay' });
    this.scrubber = el('input', { type: 'range', 'data-role': 'scrubber', min: '0', max: '0', value: '0', step: '1', 'aria-label': 'Event (drag to move the cursor)', title: 'Event' });
    this.scrubber.addEventListener('pointerdown', () => { this.scrubbing = true; });
    this.scrubber.addEventListener('pointerup', () => { this.scrubbing = false; });
    this.scrubber.addEventListener('input', () => this.scrubTo(Number(this.scrubber.value)));
    this.scrubber.addEventListener('change', () => { this.scrubbing = false; });
    this.jumpEvent = el('input', { type: 'number', 'data-role': 'jump-event', min: '1', step: '1', placeholder: 'event #', 'aria-label': 'Go to event number (Enter)', title: 'Go to event number (Enter)' });
    this.jumpEvent.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      this.goToEvent(this.jumpEvent.value);
    });
    this.jumpTime = el('input', { type: 'number', 'data-role': 'jump-time', min: '0', step: 'any', placeholder: 'time (s)', 'aria-label': 'Go to time in seconds since the start (Enter)', title: 'Go to the last event at or before this time, in seconds since the start (Enter)' });
    this.jumpTime.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      this.goToTime(this.jumpTime.value);
    });
    this.playButton = button('play', 'Play / pause (one switch at a time)', 'Space');
    this.playButton.setAttribute('aria-pressed', 'false');
    this.playButton.addEventListener('click', () => this.togglePlay());
    this.speed = el('select', { 'data-role': 'speed', 'aria-label': 'Play speed (switches per second)', title: 'Play speed (switches per second)' });
    for (const s of PLAY_SPEEDS) {
      const o = el('option', { value: String(s) }, `${s}/s`);
      if (s === DEFAULT_SPEED) o.selected = true;
      this.speed.append(o);
    }
    this.replay.append(this.playButton, this.speed, this.scrubber, this.jumpEvent, this.jumpTime);

    container.append(run, move, this.replay);
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  render(frame: Frame): void {
    this.renderStatus(frame);
    const none = frame.board.selected === null || frame.cursor < 0;
    for (const b of this.greenletButtons) b.disabled = none || this.live;
  }

  /** Whether the cursor is playing. */
  get playing(): boolean {
    return this.playTimer !== null;
  }

  private scrubTo(value: number): void {
    const first = this.scrubPending === null;
    this.scrubPending = value;
    if (!first) return;
    requestAnimationFrame(() => {
      const v = this.scrubPending;
      this.scrubPending = null;
      if (v !== null && Number.isFinite(v)) this.actions.setCursor(Math.max(0, Math.round(v)));
    });
  }

  /** An event number as the status line counts (from 1). */
  private goToEvent(text: string): void {
    const count = this.shown?.count ?? 0;
    const n = Number(text.trim());
    if (count === 0 || text.trim() === '' || !Number.isFinite(n)) return;
    this.actions.setCursor(Math.min(count, Math.max(1, Math.round(n))) - 1);
  }

  /** Seconds since the trace's start: the last event at or before that time. */
  private goToTime(text: string): void {
    const shown = this.shown;
    const t = Number(text.trim());
    if (shown === null || shown.count === 0 || text.trim() === '' || !Number.isFinite(t)) return;
    this.actions.setCursor(shown.index.seqAtTime(t * 1e6));
  }

  private togglePlay(): void {
    if (this.playing) {
      this.stopPlay();
      return;
    }
    const shown = this.shown;
    if (shown === null || shown.count === 0 || this.live) return;
    // At the end, play starts over.
    if (shown.cursor >= shown.count - 1) this.actions.move('first');
    this.playButton.setAttribute('aria-pressed', 'true');
    this.playButton.replaceChildren(icon('playing'), el('span', { class: 'label' }, 'Pause'));
    this.playTimer = setTimeout(() => this.playStep(), this.playDelay());
  }

  private playDelay(): number {
    const speed = Number(this.speed.value);
    return 1000 / (Number.isFinite(speed) && speed > 0 ? speed : DEFAULT_SPEED);
  }

  private playStep(): void {
    this.playTimer = null;
    if (this.live) return this.stopPlay();
    // One switch at a time; after the last switch, the last event, then stop.
    if (!this.actions.move('nextSwitch')) {
      this.actions.move('last');
      return this.stopPlay();
    }
    this.playTimer = setTimeout(() => this.playStep(), this.playDelay());
  }

  private stopPlay(): void {
    if (this.playTimer !== null) clearTimeout(this.playTimer);
    this.playTimer = null;
    this.playButton.setAttribute('aria-pressed', 'false');
    this.playButton.replaceChildren(icon('play'), el('span', { class: 'label' }, 'Play'));
  }

  /** The cheap part, also run on its own between full frames while a trace loads. */
  renderStatus(frame: StatusInput): void {
    this.live = frame.session.live;
    this.shown = frame;
    for (const b of this.runButtons) b.disabled = !this.live;
    setText(this.status, statusLine(frame));
    setAttr(this.status, 'data-cursor', String(frame.cursor));
    const ev = frame.cursor >= 0 && frame.cursor < frame.count ? frame.model.event(frame.cursor) : null;
    setAttr(this.status, 'data-time', ev === null ? null : String(ev.t));
    setAttr(this.status, 'data-kind', ev?.kind ?? null);
    setAttr(this.status, 'data-involves', ev === null ? null : involvedIn(ev).join(' '));
    setHidden(this.replay, this.live);
    if (this.live && this.playing) this.stopPlay();
    const max = String(Math.max(0, frame.count - 1));
    if (this.scrubber.max !== max) this.scrubber.max = max;
    this.scrubber.disabled = frame.count === 0;
    // Not while dragging: the store is a frame behind the thumb.
    if (!this.scrubbing && this.scrubPending === null && frame.cursor >= 0) {
      const value = String(frame.cursor);
      if (this.scrubber.value !== value) this.scrubber.value = value;
    }
    setAttr(this.jumpEvent, 'max', String(Math.max(1, frame.count)));
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
    if (e.key === ' ' && !this.live && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      this.togglePlay();
      return;
    }
    const move: CursorMove | null = e.shiftKey
      ? (e.key === 'ArrowLeft' ? 'prevOfGreenlet' : e.key === 'ArrowRight' ? 'nextOfGreenlet' : null)
      : e.key === 'ArrowLeft' ? 'prevSwitch' : e.key === 'ArrowRight' ? 'nextSwitch' : e.key === 'Home' ? 'first' : e.key === 'End' ? 'last' : null;
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
export type StatusInput = Pick<Frame, 'count' | 'cursor' | 'session' | 'index' | 'model'>;

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
  if (session.catchingUp === 'running') parts.push('catching up with the program');
  else if (session.catchingUp === 'stopped') parts.push('stopped; catching up with the stop…');
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
