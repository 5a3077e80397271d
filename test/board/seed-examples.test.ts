// The board drawing the seed's examples, recorded for real: who waits on the
// Event, what the bounded queue holds, the greenlets' flags, and moving the
// cursor one context switch at a time with the buttons and the keyboard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readTraceFile } from '../../shared/trace/read-file';
import { board, cleanup, EXAMPLES, greenletId, launch, press, record, scanSwitches, serve, status, type ViewServer } from './support';

let browser: Browser | undefined;
const servers: Record<string, ViewServer> = {};
const traces: Record<string, string> = {};
before(async () => {
  browser = await launch();
  for (const name of ['events', 'bounded_queue', 'state_flags']) {
    traces[name] = record(`${EXAMPLES}/${name}.py`);
    servers[name] = await serve(traces[name]!);
  }
});
after(() => cleanup(browser));

/** The first Event/AsyncResult: its state and its waiters' ids. */
const EVENT_PROBE = `() => {
  const ev = document.querySelector('[data-view=events] [data-event]');
  if (ev === null) return null;
  return { id: ev.getAttribute('data-event'), state: (ev.querySelector('[data-role=state]')?.textContent ?? '').trim(),
    waiters: [...ev.querySelectorAll('[data-role=waiters] [data-g]')].map((w) => w.getAttribute('data-g')) };
}`;
type EventProbe = { id: string; state: string; waiters: string[] } | null;
const eventProbe = (page: Page) => page.evaluate(`(${EVENT_PROBE})()`) as Promise<EventProbe>;

/** The first queue: items, putters' ids, maxsize. */
const QUEUE_PROBE = `() => {
  const q = document.querySelector('[data-view=queues] [data-queue]');
  if (q === null) return null;
  return { items: [...q.querySelectorAll('[data-role=items] li')].map((li) => li.textContent.trim()),
    putters: [...q.querySelectorAll('[data-role=putters] [data-g]')].map((p) => p.getAttribute('data-g')),
    maxsize: (q.querySelector('[data-role=maxsize]')?.textContent ?? '').trim() };
}`;
type QueueProbe = { items: string[]; putters: string[]; maxsize: string } | null;

test('the toolbar names the program and the Python, gevent and greenlet it ran on', async () => {
  const header = (await readTraceFile(traces['events']!)).header!;
  await board(browser!, 'events-runtime', servers['events']!.url, async (page) => {
    await page.waitForFunction(() => (document.querySelector('[data-role=runtime]')?.textContent ?? '') !== '');
    const build = header.compiled === false ? ' (pure Python)' : '';
    assert.equal((await page.locator('[data-role=runtime]').textContent())?.trim(),
      `Python ${header.python} · gevent ${header.gevent}${build} · greenlet ${header.greenlet}`);
    assert.match((await page.locator('[data-role=program]').textContent()) ?? '', /events\.py$/);
  });
});

test('events.py: at some switch the Event has five waiters and is not set; later it is set and has none', async () => {
  await board(browser!, 'events', servers['events']!.url, async (page) => {
    const seen = await scanSwitches<EventProbe>(page, EVENT_PROBE);
    const five = seen.findIndex((s) => s.value?.waiters.length === 5);
    assert.ok(five >= 0, `no position with five waiters: ${JSON.stringify(seen.map((s) => s.value?.waiters.length))}`);
    assert.equal(seen[five]!.value!.state, 'not set');
    const rows = await page.locator('[data-view=greenlets] tr[data-g]').count();
    assert.ok(rows >= 7, `main, setter and five waiters in the table (${rows} rows)`);
    const later = seen.slice(five + 1).findIndex((s) => s.value?.waiters.length === 0);
    assert.ok(later >= 0, 'the waiters are gone after set()');
    assert.equal(seen[five + 1 + later]!.value!.state, 'set');

    // The keyboard moves the same cursor: back to the five-waiter position and forward again.
    await press(page, 'first');
    await page.locator('body').click({ position: { x: 1, y: 1 } }).catch(() => undefined);
    for (let i = 0; i < five; i++) {
      const was = await status(page);
      await page.keyboard.press('ArrowRight');
      await waitChange(page, was);
    }
    assert.equal(await status(page), seen[five]!.status, 'ArrowRight steps one switch like nextSwitch');
    assert.equal((await eventProbe(page))?.waiters.length, 5);
    const was = await status(page);
    await page.keyboard.press('ArrowLeft');
    await waitChange(page, was);
    assert.equal(await status(page), seen[five - 1]!.status, 'ArrowLeft steps one switch back');
    await page.keyboard.press('End');
    await waitChange(page, seen[five - 1]!.status);
    const end = await status(page);
    await page.keyboard.press('Home');
    await waitChange(page, end);
    assert.equal(await status(page), seen[0]!.status, 'Home goes to the first event');
    assert.equal(await press(page, 'last'), end, 'End goes where the last button goes');
  });
});

async function waitChange(page: Page, was: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while ((await status(page)) === was && Date.now() < deadline) await page.waitForTimeout(10);
}

test('bounded_queue.py: at some switch the queue holds 1, 2, 3 (maxsize 3) and the boss waits among its putters', async () => {
  await board(browser!, 'bounded_queue', servers['bounded_queue']!.url, async (page) => {
    const boss = await greenletId(page, 'boss');
    const seen = await scanSwitches<QueueProbe>(page, QUEUE_PROBE);
    const full = seen.find((s) => s.value?.items.length === 3 && s.value.putters.includes(boss));
    assert.ok(full, `never three items with the boss (g${boss}) putting: ${JSON.stringify(seen.map((s) => s.value))}`);
    assert.deepEqual(full.value!.items, ['1', '2', '3']);
    assert.match(full.value!.maxsize, /\b3\b/);
    assert.deepEqual(seen[seen.length - 1]!.value!.items, [], 'empty at the end');
  });
});

test('state_flags.py: the greenlets table shows the winner\'s value and the loser\'s exception', async () => {
  await board(browser!, 'state_flags', servers['state_flags']!.url, async (page) => {
    const cell = (g: string, col: string) => page.locator(`[data-view=greenlets] tr[data-g="${g}"] td[data-col=${col}]`);
    const winner = await greenletId(page, 'win');
    const loser = await greenletId(page, 'fail');
    assert.equal((await cell(winner, 'value').textContent())?.trim(), "'You win!'");
    assert.equal((await cell(loser, 'exception').textContent())?.trim(), "Exception('You fail at failing.')");
    assert.equal((await cell(winner, 'state').textContent())?.trim(), 'dead');
    assert.equal((await cell(loser, 'state').textContent())?.trim(), 'failed');
    assert.match((await cell(winner, 'successful').textContent()) ?? '', /true|yes|✓|✔/i);
    assert.doesNotMatch((await cell(loser, 'successful').textContent()) ?? '', /true|yes|✓|✔/i);
  });
});

test('stepping moves the cursor: the status line and the greenlets\' states change, and back again', async () => {
  await board(browser!, 'stepping', servers['events']!.url, async (page) => {
    const states = () => page.locator('[data-view=greenlets] td[data-col=state]').allTextContents();
    const atLast = await status(page);
    assert.match(atLast, /event/i);
    const first = await press(page, 'first');
    assert.notEqual(first, atLast, 'first moves the cursor');
    const s0 = await states();
    let moved = first;
    let changed = false;
    // At least two switches, so that there is a switch to go back to.
    for (let i = 0; i < 6 && (i < 2 || !changed); i++) {
      const next = await press(page, 'nextSwitch');
      assert.notEqual(next, moved, `nextSwitch #${i + 1} moves the cursor`);
      moved = next;
      changed = JSON.stringify(await states()) !== JSON.stringify(s0);
    }
    assert.ok(changed, 'some greenlet\'s state changed within six switches');
    const there = await states();
    const back = await press(page, 'prevSwitch');
    assert.notEqual(back, moved);
    assert.equal(await press(page, 'nextSwitch'), moved, 'prevSwitch then nextSwitch returns to the same event');
    assert.deepEqual(await states(), there, 'and draws the same states');
    assert.equal(await press(page, 'last'), atLast);
  });
});
