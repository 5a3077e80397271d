// Every stable DOM hook docs/board.md promises, on a real trace that has one
// of everything (test/programs/board_hooks.py: a bounded queue with items,
// an Event and an AsyncResult with waiters, locks with holders and waiters,
// and a lock deadlock at the end), plus the table's name and state filters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { board, greenletId, PROGRAMS, scanSwitches, servedRecording } from './support';

const served = servedRecording(`${PROGRAMS}/board_hooks.py`);

const COLUMNS = ['id', 'name', 'state', 'started', 'ready', 'successful', 'value', 'exception', 'parent', 'switches', 'running', 'waiting'];

test('the board has every DOM hook of docs/board.md', async () => {
  await board(served.browser, 'hooks', served.server.url, async (page) => {
    const left = await greenletId(page, 'left');
    const right = await greenletId(page, 'right');
    const hooks = [
      '[data-role=status]',
      ...['continue', 'pause', 'stepSwitch', 'prevSwitch', 'nextSwitch', 'first', 'last'].map((c) => `button[data-cmd=${c}]`),
      '[data-view=greenlets] tr[data-g]',
      ...COLUMNS.map((c) => `[data-view=greenlets] tr[data-g="${left}"] td[data-col=${c}]`),
      'input[data-role=filter]', 'select[data-role=state-filter]',
      '[data-view=timeline] canvas',
      '[data-view=queues] [data-queue] [data-role=items] li', '[data-view=queues] [data-queue] [data-role=getters]',
      '[data-view=queues] [data-queue] [data-role=putters]', '[data-view=queues] [data-queue] [data-role=maxsize]',
      '[data-view=events] [data-event] [data-role=state]', '[data-view=events] [data-event] [data-role=value]',
      '[data-view=events] [data-event] [data-role=waiters]',
      `[data-view=locks] [data-lock] [data-role=holders] [data-g="${left}"]`, `[data-view=locks] [data-lock] [data-role=waiters] [data-g="${right}"]`,
      '[data-view=waitgraph] svg', `[data-view=waitgraph] svg [data-node=g${left}]`, '[data-view=waitgraph] svg [data-node^=o]',
      '[data-view=waitgraph] svg [data-cycle="true"]',
      '[data-view=spawntree] svg', `[data-view=spawntree] svg [data-node=g${left}]`,
      'body[data-ready="true"]', 'body.vscode-dark',
    ];
    const missing: string[] = [];
    for (const h of hooks) if ((await page.locator(h).count()) === 0) missing.push(h);
    assert.deepEqual(missing, [], `hooks missing from the board: ${missing.join(', ')}`);
    assert.match((await page.locator(`[data-view=greenlets] tr[data-g="${left}"] td[data-col=state]`).textContent()) ?? '',
      /blocked on BoundedSemaphore#1/, 'the state cell names what the greenlet waits on');
    const items = await page.locator('[data-view=queues] [data-queue] [data-role=items] li').allTextContents();
    assert.deepEqual(items.map((t) => t.trim()), ["'job-1'", "'job-2'"]);
    // Objects under the program's names (q = Queue(...), ready = Event(), ...); the pair made in one tuple keeps kind and number.
    const headers = async (view: string) => (await page.locator(`[data-view=${view}] .obj-label`).allTextContents()).map((t) => t.trim());
    assert.deepEqual(await headers('queues'), ['q']);
    assert.deepEqual(await headers('events'), ['ready', 'result']);
    assert.deepEqual(await headers('locks'), ['RLock#1', 'BoundedSemaphore#1']);

    // Earlier, the Event and the AsyncResult had waiters.
    const waiters = await scanSwitches<number>(page, `() => document.querySelectorAll('[data-view=events] [data-event] [data-role=waiters] [data-g]').length`);
    assert.ok(waiters.some((w) => w.value > 0), 'some position shows an Event or AsyncResult waiter');

    // The filters narrow the table.
    await page.locator('button[data-cmd=last]').first().click();
    const rows = page.locator('[data-view=greenlets] tr[data-g]');
    await page.locator('input[data-role=filter]').fill('left');
    // (A function, not a string: the page's CSP forbids eval, which string predicates need.)
    await page.waitForFunction(() => document.querySelectorAll('[data-view=greenlets] tr[data-g]').length === 1);
    assert.equal(await rows.first().getAttribute('data-g'), left);
    await page.locator('input[data-role=filter]').fill('');
    const states = await page.locator('select[data-role=state-filter] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const blocked = states.find((v) => /blocked/.test(v));
    assert.ok(blocked !== undefined, `a "blocked" state filter among ${states}`);
    await page.locator('select[data-role=state-filter]').selectOption(blocked);
    await page.waitForFunction(() => document.querySelectorAll('[data-view=greenlets] tr[data-g]').length === 2);
    assert.deepEqual((await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-g')))).sort(), [left, right].sort());
  });
});
