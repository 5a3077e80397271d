/**
 * Board tests: the real built bundle (dist/webview) in Debian's Chromium
 * driven by playwright-core, fed traces recorded from real gevent programs
 * with `node dist/cli.js record` and served by the real `greenlet-lens view`.
 * Never downloads a browser. On a failure, `board()` prints the page's
 * console and saves a screenshot under test-artifacts/.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, ConsoleMessage, Dialog, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { STACK_PYTHON } from '../support/stacks';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const PROGRAMS = path.join(ROOT, 'test', 'programs');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
/** The stack's Python (scripts/stacks.mjs sets it per stack). */
export const PYTHON = STACK_PYTHON;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-board-'));
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** `greenlet-lens record` of a program (seed examples scaled down with SEED_SCALE=0.05); returns the trace path. */
export function record(program: string, args: string[] = []): string {
  const trace = path.join(tmp, `${path.basename(program, '.py')}-${args.join('-') || 'run'}.glt`);
  const r = spawnSync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '--', program, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, SEED_SCALE: '0.05', PYTHONDONTWRITEBYTECODE: '1' },
  });
  assert.ok(fs.existsSync(trace), `no trace from ${program}: status ${r.status}\n${r.stdout}\n${r.stderr}`);
  return trace;
}

/** The trace's event count, as `greenlet-lens stats` reads it. */
export function eventCount(trace: string): number {
  const r = spawnSync(process.execPath, [CLI, 'stats', '--json', trace], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { events: number }).events;
}

export interface ViewServer { readonly url: string; stop(): void }
const children: ChildProcess[] = [];

/** `node dist/cli.js view TRACE`, once it says where it serves. */
export function serve(trace: string): Promise<ViewServer> {
  const child = spawn(process.execPath, [CLI, 'view', trace], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`greenlet-lens view did not start:\n${out}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({ url: m[1]!, stop: () => void child.kill('SIGTERM') });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`greenlet-lens view exited (${code}):\n${out}`)); });
  });
}

export function launch(): Promise<Browser> {
  return launchChromium(tmp);
}

/** Stops every server and the browser (call from after()). */
export async function cleanup(browser: Browser | undefined): Promise<void> {
  await browser?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
}

export interface Watched {
  /** Console messages and page errors, in order ("error: ...", "pageerror: ..."). */
  readonly console: string[];
  readonly dialogs: string[];
  readonly errors: () => string[];
}

/** Records what the page says and dismisses any dialog (none should open). */
export function watch(page: Page): Watched {
  const consoleLines: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m: ConsoleMessage) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e: Error) => consoleLines.push(`pageerror: ${e.message}`));
  page.on('dialog', (d: Dialog) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  return {
    console: consoleLines,
    dialogs,
    errors: () => consoleLines.filter((l) => l.startsWith('error:') || l.startsWith('pageerror:')),
  };
}

export const READY = 'body[data-ready="true"]';

/**
 * Opens the board at `url` in a new page, waits for its first frame and runs
 * `body`; on failure prints the page's console and saves a screenshot.
 */
export async function board<T>(browser: Browser, name: string, url: string, body: (page: Page, watched: Watched) => Promise<T>,
  options: { readyTimeout?: number; beforeGoto?: (page: Page) => Promise<void> } = {}): Promise<T> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // A wait only ends early on failure; on a loaded 2-core machine a redraw after a jump took over 5 s.
  page.setDefaultTimeout(20_000);
  const watched = watch(page);
  try {
    await options.beforeGoto?.(page);
    await page.goto(url);
    await page.waitForSelector(READY, { state: 'attached', timeout: options.readyTimeout ?? 15_000 });
    return await body(page, watched);
  } catch (err) {
    const shot = path.join(ARTIFACTS, `board-failure-${name}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const status = await page.locator('[data-role=status]').first().textContent({ timeout: 1000 }).catch(() => '(no status line)');
    console.error(`--- board test "${name}" failed at ${url}\n    status: ${status}\n    screenshot: ${shot}\n    page console:\n` +
      (watched.console.map((l) => `      ${l}`).join('\n') || '      (nothing)'));
    throw err;
  } finally {
    await page.close();
  }
}

/** The status line's text. */
export async function status(page: Page): Promise<string> {
  return ((await page.locator('[data-role=status]').first().textContent()) ?? '').trim();
}

/** Digits with their group separators removed ("204,024" → "204024"), for counts in the status line. */
export function plainNumbers(text: string): string {
  return text.replace(/(\d)[,\u00a0\u202f\u2009' ](?=\d{3}\b)/g, '$1');
}

/** Clicks a cursor control and waits until the status line changed (or `ms` passed). */
export async function press(page: Page, cmd: string, ms = 2000): Promise<string> {
  const before = await status(page);
  await page.locator(`button[data-cmd=${cmd}]`).first().click();
  return settle(page, before, ms);
}

/** Waits for the status line to differ from `before`; returns it (unchanged after `ms`: at an end). */
export async function settle(page: Page, before: string, ms = 2000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = await status(page);
    if (now !== before || Date.now() > deadline) return now;
    await page.waitForTimeout(10);
  }
}

/**
 * Clicks `first`, then `nextSwitch` until the cursor stops moving, all inside
 * the page (one round trip instead of one per click), calling `probe` (the
 * source of a JS function returning JSON) at every position.
 */
export async function scanSwitches<T>(page: Page, probe: string, limit = 500): Promise<{ status: string; value: T }[]> {
  return page.evaluate(`(async () => {
    const probe = ${probe};
    const status = () => (document.querySelector('[data-role=status]')?.textContent ?? '').trim();
    const button = (cmd) => document.querySelector('button[data-cmd=' + cmd + ']');
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const moved = async (before) => { for (let i = 0; i < 30; i++) { await frame(); if (status() !== before) return true; } return false; };
    const start = status();
    button('first').click();
    await moved(start);
    const out = [{ status: status(), value: probe() }];
    for (let i = 0; i < ${limit}; i++) {
      const before = status();
      button('nextSwitch').click();
      if (!(await moved(before))) break;
      out.push({ status: status(), value: probe() });
    }
    return out;
  })()`) as Promise<{ status: string; value: T }[]>;
}

/** The id of the greenlet whose name cell reads `name`. */
export async function greenletId(page: Page, name: string): Promise<string> {
  const rows = page.locator('[data-view=greenlets] tr[data-g]');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    if (((await row.locator('td[data-col=name]').textContent()) ?? '').trim() === name) return (await row.getAttribute('data-g'))!;
  }
  throw new Error(`no greenlet named ${JSON.stringify(name)} in the table`);
}

export interface ServedBoard {
  /** The browser, once before() has run. */
  readonly browser: Browser;
  /** `greenlet-lens view` serving the program's recording, once before() has run. */
  readonly server: ViewServer;
}

/**
 * The usual setup of a board test file: before its tests, launch Chromium and
 * serve a fresh recording of `program`; after them, stop both.
 */
export function servedRecording(program: string): ServedBoard {
  let browser: Browser | undefined;
  let server: ViewServer | undefined;
  before(async () => {
    browser = await launch();
    server = await serve(record(program));
  });
  after(() => cleanup(browser));
  return {
    get browser() { assert.ok(browser !== undefined, 'the browser starts in before()'); return browser; },
    get server() { assert.ok(server !== undefined, 'the server starts in before()'); return server; },
  };
}
