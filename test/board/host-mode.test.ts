// The board as the VS Code panel runs it (boot `source: 'host'`), with
// VS Code's part played by the page's acquireVsCodeApi stand-in and the
// extension's part by its own modules: a real recorded session's trace bytes
// fed through SessionFeed (extension/board-feed.ts) after the board's
// `ready`, as the adapter's greenletTrace batches, a stop,
// and the board's messages read by routeBoardMessage (board-routing.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SessionFeed } from '../../extension/board-feed';
import { routeBoardMessage } from '../../extension/board-routing';
import type { HostToBoard } from '../../shared/protocol/board-messages';
import type { GreenletTraceBody } from '../../shared/protocol/custom-dap';
import { TraceDecoder } from '../../shared/trace/decoder';
import type { TraceEvent } from '../../shared/trace/events';
import { readTraceFile } from '../../shared/trace/read-file';
import { makeNonce, renderBoardHtml } from '../../webview/html';
import { board, cleanup, EXAMPLES, launch, record, ROOT, status } from './support';

const ORIGIN = 'http://board.test';
let browser: Browser | undefined;
let events: TraceEvent[] = [];
let header: Awaited<ReturnType<typeof readTraceFile>>['header'];
let bytes: Buffer = Buffer.alloc(0);
before(async () => {
  browser = await launch();
  const file = record(`${EXAMPLES}/events.py`);
  const read = await readTraceFile(file);
  events = read.events;
  header = read.header;
  bytes = fs.readFileSync(file);
});

/** The adapter's greenletTrace batches of `size` bytes for bytes [from, to). */
function batches(from: number, to: number, size: number): GreenletTraceBody[] {
  const out: GreenletTraceBody[] = [];
  for (let at = from; at < to; at += size) out.push({ data: bytes.subarray(at, Math.min(at + size, to)).toString('base64'), offset: at });
  return out;
}

/** The shortest prefix of the trace that decodes to event `seq`, and how many events it decodes to. */
function prefixThrough(seq: number): { end: number; count: number } {
  const decoder = new TraceDecoder();
  let count = 0;
  for (let end = 1; end <= bytes.length; end++) {
    count += decoder.push(bytes.subarray(end - 1, end)).length;
    if (count > seq) return { end, count };
  }
  throw new Error(`the trace has no event ${seq}`);
}
after(() => cleanup(browser));

/** A VS Code webview's surroundings: acquireVsCodeApi, recording what the board posts. */
const VSCODE_API = `(() => {
  let saved;
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => saved, setState: (s) => { saved = s; } });
})()`;

/** Serves the panel's page (as board-panel.ts renders it, boot source host) and dist/webview from a fake origin. */
async function hostPage(page: Page): Promise<void> {
  await page.addInitScript(VSCODE_API);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === '') {
      const html = renderBoardHtml({
        scriptUri: `${ORIGIN}/board.js`, styleUri: `${ORIGIN}/board.css`, themeUri: `${ORIGIN}/theme-dark.css`,
        nonce: makeNonce(), cspSource: ORIGIN, boot: { source: 'host', mode: 'live', title: 'Greenlet Lens: events.py' }, title: 'Greenlet Lens',
      });
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const file = path.join(ROOT, 'dist', 'webview', name);
    if (!['board.js', 'board.css', 'theme-dark.css'].includes(name) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, contentType: name.endsWith('.js') ? 'text/javascript' : 'text/css', body: fs.readFileSync(file) });
  });
}

const posted = (page: Page) => page.evaluate('window.__posted') as Promise<unknown[]>;
/** A message as VS Code posts it: bytes as a Uint8Array (structured clone), the rest as JSON. */
const deliver = (page: Page, m: HostToBoard) => (m.type === 'sessionBytes' || m.type === 'traceBytes'
  ? page.evaluate(`window.postMessage({ ...${JSON.stringify({ ...m, bytes: null })}, bytes: new Uint8Array(${JSON.stringify([...m.bytes])}) }, '*')`)
  : page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`));

test('a live session: ready, replayed events, a stop at its seq, controls and reveal come back as host actions', async () => {
  await board(browser!, 'host-mode', `${ORIGIN}/`, async (page, watched) => {
    await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted).some((m) => m.type === 'ready'));
    assert.deepEqual(routeBoardMessage((await posted(page))[0], { sessionLive: true, stopThread: null, cwd: undefined }), { kind: 'ready' });

    // The extension's feed: the session so far in adapter-sized batches, then a stop midway.
    const feed = new SessionFeed({ replayChunkBytes: 300 });
    const stopAt = events.findIndex((e) => e.kind === 'set');
    const prefix = prefixThrough(stopAt);
    const sent: HostToBoard[] = [];
    for (const b of batches(0, prefix.end, 97)) feed.addTrace(b);
    feed.addStatus({ type: 'stopped', seq: stopAt, g: 2, reason: 'step', description: 'Paused before a switch' });
    feed.connect((m) => sent.push(m));
    assert.deepEqual(sent.map((m) => m.type), ['pace', ...Array(Math.ceil(prefix.end / 388)).fill('sessionBytes'), 'stopped']);
    for (const m of sent) await deliver(page, m);
    // The board decodes in idle time: the stop can show before the events up to it are read, then it catches up.
    await page.waitForFunction(([at, of]) => new RegExp(`^event ${at} of ${of}\\b.*Paused before a switch`).test(
      (document.querySelector('[data-role=status]')?.textContent ?? '').replace(/(\d)[,\u00a0\u202f\u2009' ](?=\d{3}\b)/g, '$1')), [stopAt + 1, prefix.count]);
    const line = await status(page);
    assert.match(line, new RegExp(`^event ${stopAt + 1} of ${prefix.count}\\b`), line);
    // At the stop, set() has not run yet: the five waiters are still waiting.
    assert.equal(await page.locator('[data-view=events] [data-event] [data-role=waiters] [data-g]').count(), 5);
    const banner = page.locator('[data-role=deadlock]');
    assert.equal(await banner.isVisible(), false, 'a step is no deadlock');
    // A stop for the runtime's reason `deadlock` shows the banner by its reason, whatever its words.
    await deliver(page, { type: 'stopped', seq: stopAt, g: 2, reason: 'deadlock', description: 'Deadlock: as the runtime saw it' });
    await page.waitForFunction(() => document.querySelector('[data-role=deadlock]')?.textContent === 'Deadlock: as the runtime saw it');

    // The live controls are enabled; each becomes a request for the session.
    for (const cmd of ['stepSwitch', 'continue', 'pause'] as const) await page.locator(`button[data-cmd=${cmd}]`).click();
    const ctx = { sessionLive: true, stopThread: feed.stopThread, cwd: header!.cwd };
    const postedSoFar = (await posted(page)).slice(1) as { type: string; bytes?: number }[];
    // The board says how much of the session it has used, so the extension sends it more (flow control): all of it, by now.
    const used = postedSoFar.filter((m) => m.type === 'consumed').map((m) => m.bytes);
    assert.equal(used.at(-1), prefix.end, `consumed ${used.join(', ')}`);
    const actions = postedSoFar.filter((m) => m.type !== 'consumed').map((m) => routeBoardMessage(m, ctx));
    assert.deepEqual(actions, ['stepSwitch', 'continue', 'pause'].map((command) => ({ kind: 'request', command, args: { threadId: 2 } })));

    // Selecting a waiter reveals where it waits: events.py line 24 (evt.wait()).
    const waiter = await page.locator('[data-view=events] [data-event] [data-role=waiters] [data-g]').first().getAttribute('data-g');
    await page.locator(`[data-view=greenlets] tr[data-g="${waiter}"] td[data-col=name]`).click();
    await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted).some((m) => m.type === 'revealGreenlet'));
    const reveal = (await posted(page)).find((m) => (m as { type: string }).type === 'revealGreenlet');
    assert.deepEqual(routeBoardMessage(reveal, ctx), { kind: 'reveal', file: path.join(EXAMPLES, 'events.py'), line: 23 });

    // A thread picked in VS Code's Call Stack selects its greenlet here, without a reveal going back.
    const before = (await posted(page)).length;
    await deliver(page, { type: 'select', g: 3 });
    await page.locator('[data-view=greenlets] tr[data-g="3"][aria-selected=true]').waitFor();
    assert.equal((await posted(page)).length, before, 'nothing posted back');

    // The session goes on (continued, the rest of the events live) and ends.
    const live: HostToBoard[] = [];
    feed.disconnect();
    feed.connect((m) => live.push(m));
    live.length = 0;
    feed.addStatus({ type: 'continued' });
    for (const b of batches(prefix.end, bytes.length, 500)) feed.addTrace(b);
    feed.addStatus({ type: 'ended', exitCode: 0 });
    for (const m of live) await deliver(page, m);
    await page.waitForFunction(() => /ended/.test(document.querySelector('[data-role=status]')?.textContent ?? ''));
    assert.match(await status(page), new RegExp(`^event ${events.length} of ${events.length}\\b.*ended \\(exit code 0\\)`));
    assert.equal(await page.locator('button[data-cmd=continue]').isDisabled(), true, 'no live controls after the end');
    assert.equal(await banner.isVisible(), false, 'the deadlock stop is over once the session went on');
    assert.deepEqual(watched.errors(), []);
  }, { beforeGoto: hostPage });
});

// A board behind a busy program (it works only part of the time while the
// program runs) says so; told out of band that the program stopped, it says
// it is catching up with the stop, then reaches it and shows it.
test('a live board well behind says it is catching up, and after the stop reaches it', async () => {
  const file = record(path.join(ROOT, 'bench', 'workloads', 'switch_heavy.py'), ['20000']);
  const big = fs.readFileSync(file);
  const count = (await readTraceFile(file)).events.length;
  assert.ok(big.length > 1024 * 1024, `a trace of ${big.length} bytes is well over the 512 KiB threshold`);
  await board(browser!, 'host-mode-catching-up', `${ORIGIN}/`, async (page, watched) => {
    await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted).some((m) => m.type === 'ready'));
    const send = (m: HostToBoard) => (m.type === 'sessionBytes'
      ? page.evaluate(([b64]) => window.postMessage({ type: 'sessionBytes', bytes: Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0)) }, '*'), [Buffer.from(m.bytes).toString('base64')])
      : deliver(page, m));
    await send({ type: 'pace', running: true });
    await send({ type: 'sessionBytes', bytes: big });
    await page.waitForFunction(() => /catching up with the program/.test(document.querySelector('[data-role=status]')?.textContent ?? ''));
    // The program stops: the pace comes at once, the stop after the bytes (already here).
    await send({ type: 'pace', running: false });
    await page.waitForFunction(() => /stopped; catching up with the stop/.test(document.querySelector('[data-role=status]')?.textContent ?? ''));
    await send({ type: 'stopped', seq: count - 1, g: 1, reason: 'pause', description: 'Paused on the main greenlet' });
    await page.waitForFunction((n) => new RegExp(`^event ${n} of ${n} · .*Paused on the main greenlet$`).test(
      (document.querySelector('[data-role=status]')?.textContent ?? '').replace(/(\d)[,\u00a0\u202f\u2009' ](?=\d{3}\b)/g, '$1')), count, { timeout: 60_000 });
    assert.doesNotMatch(await status(page), /catching up/);
    assert.deepEqual(watched.errors(), []);
  }, { beforeGoto: hostPage });
});
