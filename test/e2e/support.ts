/**
 * End-to-end tests: the packaged .vsix installed in a real VS Code
 * (code-server from npm, scripts/code-server.sh), started by the same
 * scripts/vscode-web.mjs as `npm start`, on a copy of the examples/ workspace,
 * driven in Debian's Chromium by playwright-core. Screenshots of every step
 * land in test-artifacts/e2e/ (a named suite's in a folder of it); a failing step adds one named FAILED-… and
 * prints the end of code-server's log.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { examplesWorkspace, ROOT } from '../support/examples-workspace';

export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

export interface VsCode {
  readonly browser: Browser;
  readonly page: Page;
  readonly workspace: string;
  /** The last lines code-server and its extension host printed. */
  log(): string;
  close(): Promise<void>;
}

function packagedVsix(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const vsix = path.join(ROOT, 'dist', `greenlet-lens-${version}.vsix`);
  assert.ok(fs.existsSync(vsix), `${vsix} is missing: npm test packages it (npm run package)`);
  return vsix;
}

function codeServerDir(): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'code-server.sh')], { encoding: 'utf8', timeout: 900_000 });
  assert.equal(r.status, 0, `scripts/code-server.sh failed:\n${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

/** Where this test file's screenshots go: ARTIFACTS, or a folder of it per suite (startVsCode). */
let shots = ARTIFACTS;

/**
 * A real VS Code on a copy of examples/. Screenshots of a named `suite` go
 * to ARTIFACTS/<suite>/; each start clears only its own ones, so the test
 * files do not erase each other's.
 */
export async function startVsCode(suite = '', prepare?: (workspace: string) => void): Promise<VsCode> {
  shots = suite === '' ? ARTIFACTS : path.join(ARTIFACTS, suite);
  if (suite !== '') fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  for (const entry of fs.readdirSync(shots, { withFileTypes: true })) {
    if (entry.isFile()) fs.rmSync(path.join(shots, entry.name));
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-e2e-'));
  const workspace = examplesWorkspace(tmp);
  prepare?.(workspace);
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'scripts', 'vscode-web.mjs'),
    '--code-server', codeServerDir(), '--vsix', packagedVsix(), '--workspace', workspace, '--profile', path.join(tmp, 'profile')], {
    env: { ...process.env, GREENLET_LENS_VSCODE_LOG: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer): void => { log = (log + chunk.toString()).slice(-30_000); };
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    // vscode-web stops code-server's whole process group on SIGTERM.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let browser: Browser | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      // A cold start installs the .vsix and starts the workbench server: minutes on a loaded 2-core machine.
      const timer = setTimeout(() => reject(new Error(`VS Code did not start within 300 s:\n${log}`)), 300_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        keep(chunk);
        const m = /with Greenlet Lens: (http:\/\/\S+)/.exec(out);
        if (m !== null) { clearTimeout(timer); resolve(m[1]!); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`vscode-web exited (${code}):\n${log}`)); });
    });
    browser = await launchChromium(tmp);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    const opened = browser;
    return {
      browser: opened, page, workspace,
      log: () => log.split('\n').slice(-60).join('\n'),
      close: async () => {
        try {
          await opened.close();
        } finally {
          await stop();
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await stop();
    throw err;
  }
}

/** Pids of processes whose command line mentions `needle` (a debuggee's program path, say). */
export function processesRunning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}

let shotNumber = 0;
/** A screenshot kept as a test artifact, numbered in the order the steps ran. */
export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(shots, `${String(++shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a step; on failure saves a screenshot and adds code-server's log to the error. */
export async function step(vs: VsCode, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    await vs.page.screenshot({ path: path.join(shots, `FAILED-${name}.png`) }).catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\n--- code-server log (end) ---\n${vs.log()}`, { cause: err });
  }
}

/**
 * Runs a command from the command palette, clicking its row (Enter could pick
 * a longer match). Right after the window opens a command can still be
 * missing (Debug: Toggle Breakpoint waits for the extension's debugger to
 * register), so the palette is reopened until it lists the command.
 */
export async function runCommand(page: Page, label: string, attempts = 8): Promise<void> {
  // Focus stays where the caller put it (Escape returns it there): a click would move the editor's cursor.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    try {
      await row.waitFor({ timeout: 4000 });
      await row.click();
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= attempts) throw err;
      await page.waitForTimeout(1000);
    }
  }
}

/** Keys go to the workbench, not the page, once an editor has focus. */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

export function explorerRow(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
}

/** The board's document: a webview is two frames deep (the host frame, then #active-frame). */
export function board(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Thread rows of the Call Stack view, as their text (`g3 worker · running` + its stop reason). */
export async function callStackThreads(page: Page): Promise<string[]> {
  const rows = await page.locator('.debug-call-stack .monaco-list-row .thread').allInnerTexts();
  return rows.map((r) => r.replace(/\s+/g, ' ').trim());
}

/** Rows of the Variables view as `name = value` (scopes as their names). */
export async function variables(page: Page): Promise<string[]> {
  const rows = await page.locator('.debug-variables .monaco-list-row').allInnerTexts();
  return rows.map((r) => r.replace(/\s*\n\s*/g, ' ').trim());
}

/** Rows of the Debug Console (what was typed, what it answered), as their text. */
export async function replRows(page: Page): Promise<string[]> {
  const rows = await page.locator('.repl .monaco-list-row').allInnerTexts();
  return rows.map((r) => r.replace(/\s*\n\s*/g, ' ').trim());
}

/** Waits until `probe` returns a value for which `ok` holds; returns it (or fails naming the last value seen). */
export async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch { /* the element may not exist yet */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Adds a launch configuration to the copied workspace's .vscode/launch.json (JSON with comments: inserted as text). */
export function addLaunchConfig(workspace: string, config: Record<string, unknown>): void {
  const file = path.join(workspace, '.vscode', 'launch.json');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('"configurations": [');
  assert.ok(at >= 0, `${file} has no configurations list`);
  const end = at + '"configurations": ['.length;
  fs.writeFileSync(file, `${text.slice(0, end)}\n    ${JSON.stringify(config)},${text.slice(end)}`);
}
