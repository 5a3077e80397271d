// Findings in a real VS Code (code-server, the packaged .vsix): each program
// of examples/bugs/ debugged from its launch configuration fills the Problems
// view with its bugs, on the lines of the bugs, and stopping the session
// clears them; a recording opened by double-click lists its findings until
// its editor closes; "Why Is This Greenlet Not Running?" on a Call Stack
// thread explains the waiter.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { lineOf } from '../support/source-lines';
import { ROOT } from '../support/examples-workspace';
import { callStackThreads, explorerRow, runCommand, shot, startVsCode, step, until, type VsCode } from './support';

let vs: VsCode;
before(async () => { vs = await startVsCode('findings'); }, { timeout: 600_000 });
after(async () => { await vs?.close(); });

/** The Problems view's Greenlet Lens entries ("message Greenlet Lens(kind) [Ln N, Col 1]"; not their related lines), opened if needed. */
async function problems(page: Page): Promise<string[]> {
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) {
    await page.locator('.part.panel [role=tab]', { hasText: /problems/i }).first().click();
  }
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  return rows.map((r) => r.replace(/\s+/g, ' ').trim()).filter((r) => /Greenlet Lens.*\[Ln \d+, Col \d+\]/.test(r));
}

const at = (rows: readonly string[], summary: string, line: number): boolean => rows.some((r) => r.includes(summary) && r.includes(`[Ln ${line}, Col 1]`));

/** The Run and Debug view, from the activity bar (keys need the workbench focused). */
async function runAndDebug(page: Page): Promise<void> {
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  const select = page.locator('.start-debug-action-item select');
  if (!(await select.isVisible().catch(() => false))) await page.locator('.activitybar .action-label[aria-label^="Run and Debug"]').click();
  await select.waitFor();
}

async function startConfig(page: Page, name: string): Promise<void> {
  await runAndDebug(page);
  await page.locator('.start-debug-action-item select').selectOption({ label: name });
  await page.locator('.start-debug-action-item .codicon-debug-start').click();
}

async function stopSession(page: Page): Promise<void> {
  await page.locator('.debug-toolbar .action-label[aria-label^="Stop"]').click();
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
}

const bug = (name: string): string => path.join(vs.workspace, 'bugs', name);

test('bugs/undrained_queue.py: the silent KeyError, the producer nobody can wake and the deadlock, on their lines; Stop clears them', { timeout: 180_000 }, () =>
  step(vs, 'findings-undrained', async () => {
    const { page } = vs;
    const file = bug('undrained_queue.py');
    await explorerRow(page, 'bounded_queue.py').waitFor({ timeout: 60_000 });
    await startConfig(page, 'bugs/undrained_queue.py: a consumer died silently, the queue fills');
    await until('the stop at the consumer\'s raise', () => callStackThreads(page), (t) => t.some((r) => /raised KeyError/i.test(r)), 60_000);
    await page.locator('.debug-toolbar .action-label[aria-label^="Continue"]').click();
    const rows = await until('the three findings in the Problems view', () => problems(page), (r) =>
      at(r, 'Exception nobody observed', lineOf(file, 'job["id"]'))
      && at(r, 'Waiter nobody can wake', lineOf(file, 'jobs.put('))
      && at(r, 'Deadlock', lineOf(file, 'gevent.joinall(')), 60_000);
    assert.equal(rows.length, 3, rows.join('\n'));
    await shot(page, 'problems-undrained-queue');
    await stopSession(page);
    await until('the session\'s problems cleared', () => problems(page), (r) => r.length === 0);
  }));

test('bugs/never_wakes.py: the waiter nobody can wake at result.get(); Why Is This Greenlet Not Running? on main explains it', { timeout: 180_000 }, () =>
  step(vs, 'findings-never-wakes', async () => {
    const { page } = vs;
    const file = bug('never_wakes.py');
    await startConfig(page, 'bugs/never_wakes.py: a result set on one path only');
    await until('the never-woken finding', () => problems(page), (r) => at(r, 'Waiter nobody can wake', lineOf(file, 'print(result.get())')), 60_000);
    await runAndDebug(page);
    const main = page.locator('.debug-call-stack .monaco-list-row', { has: page.locator('.thread') }).filter({ hasText: 'g1 ' }).first();
    const dialog = page.locator('.monaco-dialog-box');
    // On a loaded machine a click on a context-menu item can be lost while the menu is drawn: a user clicks again.
    for (let attempt = 1; ; attempt++) {
      if (!(await page.locator('.context-view .action-label').first().isVisible())) await main.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'Why Is This Greenlet Not Running?' }).click();
      try {
        await dialog.waitFor({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    assert.match(await dialog.innerText(), /g1 <main> waits for the value of result#2 at never_wakes\.py:\d+\./);
    await shot(page, 'why-not-running');
    await dialog.locator('.monaco-button', { hasText: /OK/ }).first().click();
    await stopSession(page);
  }));

test('bugs/blocking_call.py: the blocked loop on the time.sleep line the watchdog caught', { timeout: 180_000 }, () =>
  step(vs, 'findings-blocking-call', async () => {
    const { page } = vs;
    const file = bug('blocking_call.py');
    await startConfig(page, 'bugs/blocking_call.py: an unpatched time.sleep blocks the loop');
    await until('the blocked-loop finding', () => problems(page), (r) => at(r, 'Blocked loop', lineOf(file, 'time.sleep(1.0)')), 60_000);
    await shot(page, 'problems-blocking-call');
    await stopSession(page);
  }));

test('a recording of a bug opened by double-click lists its findings in Problems until its editor closes', { timeout: 180_000 }, () =>
  step(vs, 'findings-recording', async () => {
    const { page } = vs;
    const file = bug('undrained_queue.py');
    const trace = path.join(vs.workspace, 'recordings', 'undrained_queue.glt');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'record', '--output', trace, '--', file], { cwd: vs.workspace, encoding: 'utf8', timeout: 60_000 });
    assert.ok(r.status !== null, r.stderr);
    await runCommand(page, 'View: Close All Editor Groups');
    await page.locator('.activitybar .action-label[aria-label^="Explorer"]').click();
    await explorerRow(page, 'recordings').click();
    await explorerRow(page, 'undrained_queue.glt').dblclick();
    const rows = await until('the recording\'s findings', () => problems(page), (x) =>
      at(x, 'Exception nobody observed', lineOf(file, 'job["id"]')) && at(x, 'Waiter nobody can wake', lineOf(file, 'jobs.put(')), 60_000);
    assert.ok(at(rows, 'Deadlock', lineOf(file, 'gevent.joinall(')), rows.join('\n'));
    await shot(page, 'problems-recording');
    await runCommand(page, 'View: Close All Editor Groups');
    await until('the recording\'s problems cleared', () => problems(page), (x) => x.length === 0);
  }));
