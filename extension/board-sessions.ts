/**
 * The `greenlet` debug sessions as the board sees them: each session's
 * trace and status (its `greenletTrace` and `greenletStatus` custom events,
 * one ordered stream) gathered in a SessionFeed, and which session the board
 * shows: the one started last, or the one the user focuses in the Call Stack
 * (a forked worker's child session, its parent). Each run of a session has
 * its own feed and key: Restart runs the same session (same id) again, with
 * a new adapter, whose tracker starts a new feed, so the board never mixes
 * two runs. A DebugAdapterTracker also reports an adapter that fails.
 */

import * as vscode from 'vscode';
import { DEBUG_TYPE, type BoardStreamSink, type GreenletStatusBody, type GreenletTraceBody } from '../shared/protocol/custom-dap';
import { SessionFeed, statusMessage } from './board-feed';

interface Entry {
  session: vscode.DebugSession | undefined;
  readonly feed: SessionFeed;
  terminated: boolean;
  /** Runs of this session before this one (Restart). */
  readonly run: number;
}

/** The board's session: its feed, and a key that differs for every run of every session. */
export interface CurrentSession {
  readonly session: vscode.DebugSession | undefined;
  readonly feed: SessionFeed;
  readonly live: boolean;
  readonly key: string;
}

export class BoardSessions implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private currentId: string | undefined;
  private readonly startListeners = new Set<(session: vscode.DebugSession) => void>();
  private readonly focusListeners = new Set<(session: vscode.DebugSession) => void>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, this),
      vscode.debug.onDidStartDebugSession((session) => {
        if (session.type !== DEBUG_TYPE) return;
        this.entry(session.id).session = session;
        this.setCurrent(session.id);
        for (const listener of [...this.startListeners]) listener(session);
      }),
      vscode.debug.onDidChangeActiveDebugSession((session) => {
        // Focusing another live greenlet session (one process of several) shows its board.
        if (session?.type !== DEBUG_TYPE || session.id === this.currentId) return;
        const entry = this.entries.get(session.id);
        if (entry === undefined || entry.terminated) return;
        entry.session = session;
        this.setCurrent(session.id);
        for (const listener of [...this.focusListeners]) listener(session);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== DEBUG_TYPE || typeof e.body !== 'object' || e.body === null) return;
        const feed = this.entry(e.session.id).feed;
        if (e.event === 'greenletTrace') feed.addTrace(e.body as GreenletTraceBody);
        else if (e.event === 'greenletStatus') feed.addStatus(statusMessage(e.body as GreenletStatusBody));
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        const entry = this.entries.get(session.id);
        if (entry === undefined) return;
        entry.terminated = true;
        // The adapter said so already, unless it could not (it failed, or was ended from outside).
        entry.feed.addStatus({ type: 'ended', exitCode: null });
        // The board keeps showing the last session until another starts; others are forgotten.
        if (session.id !== this.currentId) this.forget(session.id);
      }),
    ];
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) {
      this.entry(active.id).session = active;
      this.currentId = active.id;
    }
  }

  /** A greenlet session started and is now the board's session. */
  onDidStartSession(listener: (session: vscode.DebugSession) => void): vscode.Disposable {
    this.startListeners.add(listener);
    return { dispose: () => void this.startListeners.delete(listener) };
  }

  /** Another running greenlet session was focused and is now the board's session. */
  onDidFocusSession(listener: (session: vscode.DebugSession) => void): vscode.Disposable {
    this.focusListeners.add(listener);
    return { dispose: () => void this.focusListeners.delete(listener) };
  }

  /**
   * Called by VS Code for each adapter it starts, before any of its events:
   * for a session's first run, and again for each Restart, which gets a
   * fresh feed. Reports an adapter that fails to the board.
   */
  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const previous = this.entries.get(session.id);
    if (previous !== undefined && (previous.terminated || previous.feed.used)) {
      previous.feed.dispose();
      this.entries.set(session.id, { session, feed: new SessionFeed(), terminated: false, run: previous.run + 1 });
    }
    const entry = this.entry(session.id);
    entry.session = session;
    return { onError: (err: Error) => entry.feed.addStatus({ type: 'error', message: `debug adapter error: ${err.message}` }) };
  }

  /**
   * Where an inline adapter of `session` hands over the board's stream. The
   * feed is the one of the run the adapter belongs to: looked up at its first
   * batch (after VS Code made this run's tracker, before the launch), then
   * kept, so a previous run's last bytes never land in a Restart's feed.
   */
  sinkFor(session: vscode.DebugSession): BoardStreamSink {
    let feed: SessionFeed | undefined;
    const run = (): SessionFeed => (feed ??= this.entry(session.id).feed);
    return {
      trace: (bytes, offset) => run().addBytes(bytes, offset),
      status: (body) => run().addStatus(statusMessage(body)),
    };
  }

  /** The board's session and its feed, if any. */
  current(): CurrentSession | undefined {
    const entry = this.currentId === undefined ? undefined : this.entries.get(this.currentId);
    if (entry === undefined) return undefined;
    return {
      session: entry.session, feed: entry.feed, live: !entry.terminated && !entry.feed.ended, key: `${this.currentId}#${entry.run}`,
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.startListeners.clear();
    this.focusListeners.clear();
    for (const entry of this.entries.values()) entry.feed.dispose();
    this.entries.clear();
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { session: undefined, feed: new SessionFeed(), terminated: false, run: 0 };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private setCurrent(id: string): void {
    const previous = this.currentId;
    this.currentId = id;
    if (previous !== undefined && previous !== id && this.entries.get(previous)?.terminated) this.forget(previous);
  }

  private forget(id: string): void {
    this.entries.get(id)?.feed.dispose();
    this.entries.delete(id);
  }
}
