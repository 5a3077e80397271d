/**
 * Entry point of dist/webview/board.js (esbuild IIFE). Reads the boot
 * object, builds the board, and connects the data: HostToBoard messages in
 * VS Code (`source: 'host'`), or the trace file's bytes fetched from the
 * view server (`source: 'fetch'`). See docs/board.md.
 */

import { describeValue, messageOf } from '../shared/errors';
import { endedText } from '../shared/present/stop-words';
import { NO_END_RECORD } from '../shared/present/trace-problem';
import { describeRuntime } from '../shared/runtime-versions';
import type { Header } from '../shared/trace/events';
import { isHostToBoard, type BoardBoot, type BoardTrace, type HostToBoard } from '../shared/protocol/board-messages';
import { BoardApp } from './app';
import { ByteFeed, EventFeed, fetchTrace, holdWork, paceByIdle, sessionRuns, setRunning } from './feed';
import { applyBrowserTheme, connectHost, readBoot, type BoardHost } from './host';
import { problemOfError, problemOfResult } from './problem';
import { focusNoteOf, processSelector } from './view/processes';
import { focusNote } from '../shared/present/process-words';

function main(): void {
  const root = document.getElementById('board') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('board');
  let boot: BoardBoot;
  try {
    boot = readBoot();
  } catch (err) {
    root.textContent = `Greenlet Lens: ${messageOf(err)}`;
    return;
  }
  const host = connectHost(boot);
  applyBrowserTheme(host);
  const app = new BoardApp(root, boot, host);
  const feed = new EventFeed((ev) => app.apply(ev), () => app.scheduleRender());
  const bytes = new ByteFeed(feed);

  if (boot.source === 'fetch' && boot.together !== undefined && app.processes.length > 1) {
    const nav = processSelector(boot.processes ?? [], (href) => location.assign(href));
    root.prepend(nav);
    loadTogether(app, boot.together, nav);
    return;
  }
  if (boot.source === 'fetch') {
    if (boot.processes !== undefined) root.prepend(processSelector(boot.processes, (href) => location.assign(href)));
    app.session.loading = 0;
    app.scheduleRender();
    fetchTrace(boot.url, bytes, (fraction) => {
      app.session.loading = fraction;
      app.scheduleRender();
    })
      .then((result) => {
        app.session.problem = problemOfResult(result, app.model.eventCount);
        if (result.problem === null && result.status === 'incomplete') app.session.notice = NO_END_RECORD;
      })
      .catch((err: unknown) => {
        app.session.problem = problemOfError(err, app.model.eventCount);
      })
      .finally(() => {
        app.session.loading = null;
        setProgram(app, bytes);
        app.scheduleRender(true);
      });
    return;
  }

  // A debug session's board shares VS Code's thread: it works in idle time (a trace file opens at full speed).
  paceByIdle(boot.mode === 'live');
  // Until the host says otherwise, a live session runs.
  setRunning(boot.mode === 'live');
  app.behind = () => bytes.pendingBytes > 0 || feed.pending > 0;
  addEventListener('message', (e: MessageEvent) => {
    if (!isHostToBoard(e.data)) return;
    try {
      onHostMessage(app, feed, bytes, e.data, host);
    } catch (err) {
      app.fail(err);
    }
  });
  host.post({ type: 'ready' });
  app.scheduleRender(true);
}

/** After a live stop the board waits this long before working again: VS Code shows the stop first (bench/pause-latency.mjs). */
const STOP_HOLD_MS = 600;

/** A message this large, or this much received and not yet decoded, means a live board is behind (a normal batch is far less). */
const CATCHING_UP_BYTES = 512 * 1024;

/** Session bytes decoded and applied since this page said `ready`: the host sends more as these are used. */
let sessionBytesUsed = 0;

function onHostMessage(app: BoardApp, feed: EventFeed, bytes: ByteFeed, m: HostToBoard, host: BoardHost): void {
  const s = app.session;
  switch (m.type) {
    case 'sessionBytes':
      if (!(m.bytes instanceof Uint8Array)) throw new Error(`the host sent the session's trace as ${describeValue(m.bytes)}, not as bytes`);
      // The host joins what waits for a board that is behind into large messages: one of those, or much unread here, is behind.
      if (s.live && (m.bytes.length >= CATCHING_UP_BYTES || bytes.pendingBytes + m.bytes.length >= CATCHING_UP_BYTES)) {
        s.catchingUp = s.stop === null && sessionRuns() ? 'running' : 'stopped';
      } else if (s.catchingUp !== null && bytes.pendingBytes < CATCHING_UP_BYTES) {
        s.catchingUp = null;
      }
      void bytes.push(m.bytes).then(() => {
        sessionBytesUsed += m.bytes.length;
        host.post({ type: 'consumed', bytes: sessionBytesUsed });
        setProgram(app, bytes);
      }, (err: unknown) => {
        s.problem = problemOfError(err, app.model.eventCount);
        app.scheduleRender();
      });
      break;
    case 'traceBytes':
      s.loading ??= Number.NaN;
      void bytes.push(m.bytes).then(() => setProgram(app, bytes));
      if (m.final) {
        void bytes.finish().then((result) => {
          s.loading = null;
          s.problem = problemOfResult(result, app.model.eventCount);
          app.scheduleRender();
        }, (err: unknown) => {
          s.loading = null;
          s.problem = problemOfError(err, app.model.eventCount);
          app.scheduleRender();
        });
      }
      break;
    case 'stopped':
      s.catchingUp = null;
      // Still in idle time: at full speed the catching up took the thread VS Code needs to show this stop.
      if (app.session.live) app.settleStop();
      s.stop = m.description;
      s.stuck = m.reason === 'deadlock' ? m.description : null;
      app.store.update({ cursor: Math.max(0, feed.toLocal(m.seq)) });
      break;
    case 'continued':
      s.stop = null;
      s.stuck = null;
      app.store.update({ cursor: null });
      break;
    case 'ended':
      s.catchingUp = null;
      s.ended = true;
      s.live = false;
      s.stop = endedText(m.exitCode, m.byUser === true, m.detached === true);
      s.stuck = null;
      break;
    case 'error':
    case 'notice':
      s.notice = m.message;
      break;
    case 'pace':
      setRunning(m.running);
      if (!m.running) holdWork(STOP_HOLD_MS);
      if (s.catchingUp !== null) s.catchingUp = m.running ? 'running' : 'stopped';
      break;
    case 'select':
      // Not actions.select: the Call Stack already shows where it is, nothing to reveal.
      if (Number.isInteger(m.g) && m.g > 0) app.store.update({ selected: m.g });
      break;
  }
  app.scheduleRender();
}

/**
 * The side-by-side board: every process's trace fetched and decoded at
 * once (each in time slices, as one trace is), the lanes drawn as they
 * come; the board is ready once all of them are read. The process shown
 * in the tables is kept in the URL (?focus=N), so a reload keeps it.
 */
function loadTogether(app: BoardApp, traces: readonly BoardTrace[], nav: HTMLElement): void {
  const progress = traces.map(() => 0);
  app.session.loading = 0;
  const focusParam = Number(new URLSearchParams(location.search).get('focus') ?? '0');
  const note = focusNoteOf(nav);
  app.onFocus = (p) => {
    note.textContent = focusNote(p.label);
    const url = new URL(location.href);
    url.searchParams.set('focus', String(app.processes.indexOf(p)));
    history.replaceState(history.state, '', url);
  };
  note.textContent = focusNote(app.focused.label);
  const loads = traces.map((trace, i) => {
    const p = app.processes[i]!;
    const feed = new EventFeed((ev) => p.apply(ev), () => app.scheduleRender());
    const bytes = new ByteFeed(feed);
    return fetchTrace(trace.url, bytes, (fraction) => {
      progress[i] = fraction;
      app.session.loading = progress.reduce((a, b) => a + b, 0) / progress.length;
      app.scheduleRender();
      p.header ??= bytes.header;
    })
      .then((result) => {
        p.problem = problemOfResult(result, p.model.eventCount);
      }, (err: unknown) => {
        p.problem = problemOfError(err, p.model.eventCount);
      })
      .finally(() => {
        p.header ??= bytes.header;
      });
  });
  void Promise.all(loads).then(() => {
    app.session.loading = null;
    const problems = app.processes.filter((p) => p.problem !== null).map((p) => `${p.label}: ${p.problem}`);
    app.session.problem = problems.length === 0 ? null : problems.join('\n');
    if (Number.isInteger(focusParam) && focusParam > 0) app.focusProcess(focusParam, app.store.state.selected, app.store.state.cursor);
    app.showHeader();
    app.scheduleRender(true);
  });
}

function setProgram(app: BoardApp, bytes: ByteFeed): void {
  const header = bytes.header;
  if (header !== null && app.session.program === null) fromHeader(app.session, header);
}

/** The program and what it ran on, from the trace header. */
function fromHeader(s: BoardApp['session'], header: Header): void {
  s.program = header.argv.join(' ');
  s.runtime = describeRuntime(header);
}

main();
