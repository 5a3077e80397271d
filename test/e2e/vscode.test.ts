// What a user does first, in a real VS Code with the packaged extension:
// start a greenlet launch configuration on a seed example, see the board,
// stop at a breakpoint, step one context switch, stop the session; then open
// a recorded trace by double-click and step back one switch. The steps run in
// order on one page, as a user would do them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  board, callStackThreads, explorerRow, focusEditor, runCommand, shot, startVsCode, step, until, type VsCode,
  processesRunning, replRows, variables,
} from './support';
import { LIVE_CONFIG } from '../support/examples-workspace';

let vs: VsCode;
before(async () => { vs = await startVsCode(); }, { timeout: 600_000 });
after(async () => { await vs?.close(); });

const CONFIG = LIVE_CONFIG;
const BUG_CONFIG = 'bugs/undrained_queue.py: a consumer died silently, the queue fills';

test('the workbench opens the examples workspace with the greenlet launch configurations', { timeout: 120_000 }, () =>
  step(vs, 'workbench', async () => {
    const { page } = vs;
    await explorerRow(page, 'bounded_queue.py').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+D');
    const configs = page.locator('.start-debug-action-item select');
    await configs.waitFor();
    // The list fills in after the view shows (VS Code reads launch.json and asks the providers): empty at first on a busy machine.
    const names = await until('the launch configurations in the Run and Debug list', () => configs.locator('option').allTextContents(),
      (n) => n.includes(CONFIG), 30_000);
    assert.ok(names.includes(CONFIG), `launch configurations: ${names.join(' | ')}`);
    await configs.selectOption({ label: CONFIG });
    await shot(page, 'workbench');
  }));

test('a breakpoint in a worker stops the session there; the board opens beside the editor', { timeout: 120_000 }, () =>
  step(vs, 'breakpoint', async () => {
    const { page } = vs;
    await page.keyboard.press('Control+Shift+E');
    await explorerRow(page, 'bounded_queue.py').click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'def worker' }).waitFor();
    await focusEditor(page);
    await page.keyboard.press('Control+g');
    await page.keyboard.type('13'); // print('Worker %s got task %s' ...)
    await page.keyboard.press('Enter');
    await runCommand(page, 'Debug: Toggle Breakpoint');
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor();

    await focusEditor(page);
    await page.keyboard.press('F5');
    await page.locator('.debug-top-stack-frame-line').first().waitFor({ timeout: 60_000 });
    const threads = await until('the worker stopped at the breakpoint in the Call Stack',
      () => callStackThreads(page), (t) => t.some((r) => /g3 worker · running.*breakpoint/i.test(r)));
    assert.ok(threads.some((r) => r.startsWith('g2 boss · blocked on tasks.put')), threads.join('\n'));
    assert.equal(processesRunning(path.join(vs.workspace, 'bounded_queue.py')).length, 1, 'one debuggee runs the program');

    const b = board(page);
    await b.locator('body[data-ready=true]').waitFor({ timeout: 30_000 });
    await until('the board to show the stop', () => b.locator('[data-role=status]').innerText(), (s) => /Breakpoint at line 13/.test(s));
    const boss = await b.locator('[data-view=greenlets] tr[data-g="2"] td[data-col=state]').innerText();
    assert.match(boss, /blocked on tasks/);
    // The worker took 1 of [1, 2, 3]; the boss waits to put 4 (gevent keeps it with the putter, not in the queue).
    const queue = b.locator('[data-view=queues] [data-queue]').first();
    assert.deepEqual(await queue.locator('[data-role=items] li').allInnerTexts(), ['2', '3']);
    assert.equal(await queue.locator('[data-role=putters] [data-g="2"]').count(), 1, 'the boss among the putters');
    // The stopped worker's own locals: the first task it took.
    await until('the worker\'s locals in the Variables view', () => variables(page),
      (v) => v.includes("name = 'steve'") && v.includes('task = 1'));
    await shot(page, 'breakpoint-and-board');
  }));

test('the Debug Console evaluates the program\'s expressions where it stopped, and a Queue expands to its items and waiters', { timeout: 120_000 }, () =>
  step(vs, 'debug-console', async () => {
    const { page } = vs;
    await page.keyboard.press('Control+Shift+Y');
    const input = page.locator('.repl .repl-input-wrapper .monaco-editor');
    await input.waitFor();
    const said = async (expression: string, answer: RegExp): Promise<void> => {
      await input.click();
      await page.keyboard.type(expression);
      await page.keyboard.press('Enter');
      await until(`the Debug Console to answer ${expression}`, () => replRows(page), (rows) => {
        const at = rows.lastIndexOf(expression);
        return at >= 0 && rows.slice(at + 1).some((r) => answer.test(r));
      });
    };
    // The worker's own local, a method call on the program's queue, arithmetic, and gevent itself.
    await said('task + 1', /^2$/);
    await said('tasks.qsize()', /^2$/);
    await said('gevent.getcurrent()', /worker/);
    await said('tasks', /^tasks · 2 items of 3, 1 putter$/);
    // Expanded, the queue shows what the board shows: its items and the boss waiting to put.
    const row = page.locator('.repl .monaco-list-row', { hasText: /^tasks · 2 items of 3, 1 putter$/ }).last();
    await row.locator('.monaco-tl-twistie').click();
    const rows = await until('the Queue to expand', () => replRows(page), (r) => r.some((x) => /^putters\b/.test(x)));
    assert.ok(rows.some((r) => /^items\b/.test(r)), rows.join('\n'));
    // And in the Variables view: the program's global queue, expanded.
    await page.locator('.debug-variables .monaco-list-row', { hasText: /^Globals$/ }).click();
    const queueRow = page.locator('.debug-variables .monaco-list-row', { hasText: /tasks\W+tasks · / });
    // The module's own names come after its dunders: scroll to it, as a user would.
    await page.locator('.debug-variables .monaco-list').hover();
    for (let i = 0; i < 30 && (await queueRow.count()) === 0; i++) await page.mouse.wheel(0, 120);
    await queueRow.locator('.monaco-tl-twistie').click();
    // Its rows come below it, out of the view's window until scrolled to.
    const shown = await until('the Queue to expand in Variables', async () => { await page.mouse.wheel(0, 120); return variables(page); },
      (v) => v.includes('items = 2 items') && v.includes('putters = g2 boss'));
    assert.ok(shown.includes('maxsize = 3'), shown.join('\n'));
    await shot(page, 'debug-console');
  }));

test('Step to Next Greenlet Switch: the worker yields, the Call Stack and the board show it blocked on sleep', { timeout: 120_000 }, () =>
  step(vs, 'step-switch', async () => {
    const { page } = vs;
    const b = board(page);
    const before = Number(await until('the board\'s cursor', () => b.locator('[data-role=status]').getAttribute('data-cursor'), (c) => c !== null && c !== ''));
    const worker = b.locator('[data-view=greenlets] tr[data-g="3"] td[data-col=state]');
    assert.equal((await worker.innerText()).trim(), 'running');

    // The button the extension adds to the debug toolbar.
    await page.locator('.debug-toolbar .action-label[aria-label^="Step to Next Greenlet Switch"]').click();
    const threads = await until('the Call Stack to show the switch',
      () => callStackThreads(page), (t) => t.some((r) => /switch g3 → g6/i.test(r)));
    assert.ok(threads.some((r) => r.startsWith('g3 worker · blocked on sleep')), threads.join('\n'));
    assert.ok(threads.some((r) => r.startsWith('g6 Hub.run · running')), threads.join('\n'));

    await until('the worker blocked on the board', () => worker.innerText(), (s) => s.trim() === 'blocked on sleep');
    const now = Number(await b.locator('[data-role=status]').getAttribute('data-cursor'));
    assert.ok(now > before, `the board's cursor moved on (${before} → ${now})`);
    assert.match(await b.locator('[data-role=status]').innerText(), /switch g3 → g6/);
    await shot(page, 'step-switch');
  }));

test('Stop ends the session and the program', { timeout: 60_000 }, () =>
  step(vs, 'stop', async () => {
    const { page } = vs;
    await page.locator('.debug-toolbar .action-label[aria-label^="Stop"]').click();
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    await until('the board to say the user stopped the session', () => board(page).locator('[data-role=status]').innerText(), (s) => /stopped by you/.test(s));
    assert.equal(await page.locator('.debug-call-stack .monaco-list-row .thread').count(), 0);
    const program = path.join(vs.workspace, 'bounded_queue.py');
    await until('the debugged program to end', async () => processesRunning(program), (pids) => pids.length === 0, 10_000);
    await shot(page, 'stopped');
  }));

test('bugs/undrained_queue.py: the consumer dying of a silent KeyError stops the session, then the stuck producer is a deadlock', { timeout: 120_000 }, () =>
  step(vs, 'deadlock', async () => {
    const { page } = vs;
    await page.keyboard.press('Control+Shift+D');
    await page.locator('.start-debug-action-item select').selectOption({ label: BUG_CONFIG });
    await page.locator('.start-debug-action-item .codicon-debug-start').click();
    const atRaise = await until('the stop at the consumer\'s raise',
      () => callStackThreads(page), (t) => t.some((r) => /g\d+ consumer · running.*raised KeyError/i.test(r)), 60_000);
    await page.locator('.debug-top-stack-frame-line').first().waitFor();
    await until('the job that has no "id" among the consumer\'s locals', () => variables(page), (v) => v.includes("job = {'name': 2}"));
    await shot(page, 'silent-exception');

    await page.locator('.debug-toolbar .action-label[aria-label^="Continue"]').click();
    const stuck = await until('the deadlock stop', () => callStackThreads(page), (t) => t.some((r) => /deadlock/i.test(r) && r !== atRaise.find((x) => /deadlock/i.test(x))));
    assert.ok(stuck.some((r) => /producer · blocked on jobs\.put/.test(r)), stuck.join('\n'));
    const b = board(page);
    await until('the deadlock banner on the board', () => b.locator('[data-role=deadlock]').isVisible(), (v) => v);
    const queue = b.locator('[data-view=queues] [data-queue]').first();
    // The board decodes in idle time: the banner can show before every event up to the stop is drawn.
    await until('the queue full on the board (maxsize 2)', () => queue.locator('[data-role=items] li').count(), (n) => n === 2);
    const producer = await b.locator('[data-view=greenlets] tr[data-g]', { hasText: 'producer' }).first().getAttribute('data-g');
    await until('the producer among the putters', () => queue.locator(`[data-role=putters] [data-g="${producer}"]`).count(), (n) => n === 1);
    await shot(page, 'deadlock');
    await page.locator('.debug-toolbar .action-label[aria-label^="Stop"]').click();
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
  }));

test('a recorded trace opens by double-click and steps back one switch', { timeout: 120_000 }, () =>
  step(vs, 'trace-editor', async () => {
    const { page } = vs;
    await runCommand(page, 'View: Close All Editor Groups');
    await page.keyboard.press('Control+Shift+E');
    await explorerRow(page, 'recordings').click();
    await explorerRow(page, 'bounded_queue.glt').dblclick();
    const b = board(page);
    await b.locator('body[data-ready=true]').waitFor({ timeout: 30_000 });
    const status = b.locator('[data-role=status]');
    await until('the whole trace to load', () => status.innerText(), (s) => /event \d+ of \d+/.test(s) && !/loading/i.test(s));
    await b.locator('button[data-cmd=first]').click();
    await until('the cursor at the first event', () => status.getAttribute('data-cursor'), (c) => c === '0');
    await b.locator('button[data-cmd=last]').click();
    const total = Number(/event \d+ of (\d+)/.exec(await status.innerText())![1]);
    const last = Number(await until('the cursor on the last event', () => status.getAttribute('data-cursor'), (c) => Number(c) === total - 1));
    const lastText = await status.innerText();
    await shot(page, 'trace-editor-at-end');

    await b.locator('button[data-cmd=prevSwitch]').click();
    const back = Number(await until('the cursor one switch back', () => status.getAttribute('data-cursor'), (c) => Number(c) < last));
    assert.equal(await status.getAttribute('data-kind'), 'switch', 'prev switch lands on a switch event');
    assert.notEqual(await status.innerText(), lastText);
    assert.ok(back < last);
    await shot(page, 'trace-editor-step-back');
  }));

