// The board on a large trace in Debian's Chromium (playwright-core, never a
// downloaded browser), served by `node dist/cli.js view TRACE --port N`.
// Per run, a fresh browser and page:
//   - first frame: performance.now() (ms since navigation start) at the first
//     animation frame whose status line shows an event;
//   - full load: the same clock at the first animation frame where
//     body[data-ready=true] (set once the whole file is fetched and decoded
//     and a full frame is drawn) and the status line names every event;
//   - JS heap: CDP Performance.getMetrics JSHeapUsedSize, sampled every
//     100 ms from navigation to full load (and once after); the largest sample;
//   - renderer peak RSS: VmHWM from /proc of the browser's renderer processes
//     (the largest), read after full load, before the page closes.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.GREENLET_LENS_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const LOAD_TIMEOUT = 180_000;

/** Installed before the page's scripts: first frame and full load, on the page's clock. */
const MONITOR = `(() => {
  const m = { firstFrame: 0, ready: 0, status: '' };
  window.__benchBoard = m;
  const beat = () => {
    const now = performance.now();
    const status = document.querySelector('[data-role=status]')?.textContent || '';
    if (!m.firstFrame && /event \\d/.test(status)) m.firstFrame = now;
    if (!m.ready && document.body?.dataset.ready === 'true') { m.ready = now; m.status = status.trim(); return; }
    requestAnimationFrame(beat);
  };
  requestAnimationFrame(beat);
})()`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** `node dist/cli.js view TRACE --port N`, once it says where it serves. */
async function serve(root, trace) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'view', trace, '--port', String(port)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`greenlet-lens view did not start:\n${out}`)), 15_000);
    const onData = (d) => {
      out += d.toString();
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`greenlet-lens view exited (${code}):\n${out}`)); });
  });
  return { url, port, stop: () => child.kill('SIGTERM') };
}

/** Pids of every descendant of `pid` (from /proc). */
function descendants(pid) {
  const parentOf = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parentOf.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const out = [];
  const walk = (p) => { for (const [c, pp] of parentOf) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

/** Largest VmHWM (kB) among the renderer processes under the browser `pid`, or null. */
function rendererPeakKb(pid) {
  let best = null;
  for (const c of descendants(pid)) {
    try {
      if (!readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${c}/status`, 'utf8'));
      if (m) best = Math.max(best ?? 0, Number(m[1]));
    } catch { /* gone */ }
  }
  return best;
}

/** One load of the board on `trace` in a fresh browser. */
export async function measureBoardOnce(root, trace) {
  const server = await serve(root, trace);
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(MONITOR);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    let heapPeak = 0, sampling = true;
    const sample = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      heapPeak = Math.max(heapPeak, metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0);
    };
    const sampler = (async () => {
      while (sampling) { await sample().catch(() => undefined); await new Promise((r) => setTimeout(r, 100)); }
    })();
    await page.goto(server.url);
    // Polled with evaluate: the board's CSP forbids the eval waitForFunction needs.
    for (const until = Date.now() + LOAD_TIMEOUT; !(await page.evaluate('window.__benchBoard?.ready > 0'));) {
      if (Date.now() > until) throw new Error(`the board did not load within ${LOAD_TIMEOUT / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    sampling = false;
    await sampler;
    await sample();
    const m = await page.evaluate('window.__benchBoard');
    const rendererKb = rendererPeakKb(browserServer.process().pid);
    await page.close();
    await browser.close();
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
    return { firstFrameMs: m.firstFrame, fullLoadMs: m.ready, status: m.status, jsHeapPeakBytes: heapPeak, rendererPeakRssKb: rendererKb };
  } finally {
    await browserServer.close().catch(() => undefined);
    server.stop();
  }
}

/**
 * The board's frame time on a trace of many greenlets: loaded in a fresh
 * browser, the cursor put on event `at` (1-based; the newest when null) with
 * the toolbar's "event #" box and `tab` shown, then `steps` times the cursor
 * moved one switch back (the toolbar's button), each timed in the page from
 * the click to the frame after the one that draws it (state at the cursor,
 * rows, wait-for graph, timeline, every view the tab shows).
 */
export async function measureBoardFrames(root, trace, steps = 30, { at = null, tab = 'overview' } = {}) {
  const server = await serve(root, trace);
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(MONITOR);
    await page.goto(server.url);
    for (const until = Date.now() + LOAD_TIMEOUT; !(await page.evaluate('window.__benchBoard?.ready > 0'));) {
      if (Date.now() > until) throw new Error(`the board did not load within ${LOAD_TIMEOUT / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (tab !== 'overview') await page.locator(`button[data-tab=${tab}]`).click();
    if (at !== null) {
      const box = page.locator('input[data-role=jump-event]');
      await box.fill(String(at));
      await box.press('Enter');
      const want = new RegExp(`event ${at}\\b`);
      for (const until = Date.now() + 30_000; !want.test((await page.locator('[data-role=status]').textContent()).replace(/(\d)[,\u00a0\u202f ](?=\d{3}\b)/g, '$1'));) {
        if (Date.now() > until) throw new Error(`the cursor did not reach event ${at}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await page.waitForTimeout(500);
    }
    const blocked = await page.evaluate(`Number(document.querySelector('[data-view=waitgraph] g.node[data-count]')?.getAttribute('data-count') || 0)`);
    const frames = [];
    for (let i = 0; i < steps; i++) {
      frames.push(await page.evaluate(`new Promise((resolve) => {
        const t0 = performance.now();
        document.querySelector('button[data-cmd=prevSwitch]').click();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      })`));
    }
    const greenlets = await page.evaluate(`document.querySelectorAll('[data-view=spawntree] [data-g]').length || null`);
    await browser.close();
    return { frames, greenlets, blocked };
  } finally {
    await browserServer.close().catch(() => undefined);
    server.stop();
  }
}
