// A trace of about 200k events (bench/workloads/switch_heavy.py 17000) loads
// without freezing the page. Timings are printed, not asserted (machines
// differ); the test asserts only that it loads and shows every event.
// BOARD_LARGE_MESSAGES=85000 makes it a 1M-event trace, to measure by hand.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, board, cleanup, eventCount, launch, plainNumbers, record, ROOT, serve, status, type ViewServer } from './support';

const MESSAGES = process.env['BOARD_LARGE_MESSAGES'] ?? '17000';
let browser: Browser | undefined;
let server: ViewServer;
let events = 0;
before(async () => {
  browser = await launch();
  const trace = record(path.join(ROOT, 'bench', 'workloads', 'switch_heavy.py'), [MESSAGES]);
  events = eventCount(trace);
  server = await serve(trace);
});
after(() => cleanup(browser));

/** Installed before the page's own scripts: long tasks and the longest gap between animation frames. */
const MONITOR = `(() => {
  const m = { longest: 0, tasks: 0, maxGap: 0, last: performance.now(), firstFrame: 0 };
  window.__monitor = m;
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) { m.tasks++; m.longest = Math.max(m.longest, e.duration); } })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  const beat = () => {
    const now = performance.now();
    m.maxGap = Math.max(m.maxGap, now - m.last);
    m.last = now;
    // First frame: the status line shows events, long before the whole trace has loaded.
    if (!m.firstFrame && /event \\d/.test(document.querySelector('[data-role=status]')?.textContent || '')) m.firstFrame = now;
    requestAnimationFrame(beat);
  };
  requestAnimationFrame(beat);
})()`;

test('a 200k-event trace loads, shows every event, and the page keeps breathing', async () => {
  assert.ok(events >= 150_000, `the workload recorded ${events} events`);
  const started = Date.now();
  const result = await board(browser!, 'large', server.url, async (page) => {
    const loadMs = Date.now() - started;
    const text = await status(page);
    // Let the first frames after ready settle, then read the monitor.
    await page.waitForTimeout(500);
    const m = await page.evaluate('window.__monitor') as { longest: number; tasks: number; maxGap: number; firstFrame: number };
    assert.ok(plainNumbers(text).includes(String(events)), `the status line names all ${events} events: ${JSON.stringify(text)}`);
    // The page still answers: a cursor move redraws.
    await page.locator('button[data-cmd=prevSwitch]').first().click();
    const moved = Date.now();
    for (let i = 0; i < 200 && (await status(page)) === text; i++) await page.waitForTimeout(10);
    const stepMs = Date.now() - moved;
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-large.png') });
    return { loadMs, text, stepMs, ...m };
  }, {
    readyTimeout: 60_000,
    beforeGoto: async (page) => { await page.addInitScript(MONITOR); },
  });
  console.log(`# large trace (switch_heavy ${MESSAGES}): ${events} events; first frame ${result.firstFrame.toFixed(0)} ms after navigation start; navigation to body[data-ready=true] ${result.loadMs} ms; ` +
    `longest task ${result.longest.toFixed(0)} ms (${result.tasks} long tasks); longest gap between frames ${result.maxGap.toFixed(0)} ms; ` +
    `one prevSwitch redraw ${result.stepMs} ms; status ${JSON.stringify(result.text)}`);
});
