/**
 * The one place the board state changes. Views call update(); listeners
 * (the renderer) hear of every change; saving is debounced, because a drag
 * on the timeline changes the state at every mouse move and setState
 * serialises the whole object each time.
 */

import type { BoardState } from './board-state';
import { fromPersisted, toPersisted, type PersistedSession, type StateStorage } from './persist';

export type Listener = (state: BoardState, previous: BoardState) => void;

export interface StoreOptions {
  /** Delay before a change is saved (ms). */
  readonly saveDelayMs?: number;
  /** Timer for the delayed save (tests pass a manual one). */
  readonly setTimer?: (run: () => void, ms: number) => void;
  /** The session (and its trace) the board shows: saved with the state, and a state saved for another is not restored. */
  readonly about?: PersistedSession;
}

export class BoardStore {
  private current: BoardState;
  private readonly listeners: Listener[] = [];
  private saveDue = false;
  private readonly saveDelay: number;
  private readonly setTimer: (run: () => void, ms: number) => void;
  private readonly about: PersistedSession;

  constructor(private readonly storage: StateStorage, options: StoreOptions = {}) {
    this.about = options.about ?? {};
    this.current = fromPersisted(storage.load(), this.about.session);
    this.saveDelay = options.saveDelayMs ?? 250;
    this.setTimer = options.setTimer ?? ((run, ms) => void setTimeout(run, ms));
  }

  get state(): BoardState {
    return this.current;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Applies a change; fields left out keep their value. No-op changes notify nobody. */
  update(patch: Partial<BoardState> | ((s: BoardState) => Partial<BoardState>)): void {
    const previous = this.current;
    const changes = typeof patch === 'function' ? patch(previous) : patch;
    const next: BoardState = { ...previous, ...changes };
    if (sameState(previous, next)) return;
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
    this.scheduleSave();
  }

  /** Saves now (the page is going away). */
  flush(): void {
    this.saveDue = false;
    this.storage.save(toPersisted(this.current, this.about));
  }

  private scheduleSave(): void {
    if (this.saveDue) return;
    this.saveDue = true;
    this.setTimer(() => {
      if (this.saveDue) this.flush();
    }, this.saveDelay);
  }
}

function sameState(a: BoardState, b: BoardState): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
