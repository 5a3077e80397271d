// The replay controls on a recorded trace (examples/queue_workers.py): the
// scrubber, jump to an event number or a time, next/previous event of the
// selected greenlet, and play (one switch at a time, stopping at the end).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { board, EXAMPLES, plainNumbers, settle, status, servedRecording } from './support';

const served = servedRecording(`${EXAMPLES}/queue_workers.py`);

/** [N, M] of the status line's "event N of M". */
async function position(page: Page): Promise<[number, number]> {
  const m = /event (\d+) of (\d+)/.exec(plainNumbers(await status(page)));
  assert.ok(m !== null, `status line: ${await status(page)}`);
  return [Number(m[1]), Number(m[2])];
}

async function attr(page: Page, name: string): Promise<string> {
  return (await page.locator('[data-role=status]').getAttribute(name)) ?? '';
}

/** Waits until the status line reads "event N of …". */
async function waitForEvent(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => new RegExp(`event ${want} of`).test(
    (document.querySelector('[data-role=status]')?.textContent ?? '').replace(/(\d)[,\u00a0\u202f\u2009' ](?=\d{3}\b)/g, '$1')), n);
}

test('scrubber, jump to event, jump to time', async () => {
  await board(served.browser, 'replay-scrub', served.server.url, async (page, watched) => {
    const [, total] = await position(page);
    assert.ok(total > 50, `a trace with some events (${total})`);
    const scrubber = page.locator('input[type=range][data-role=scrubber]');
    assert.ok(await scrubber.isVisible(), 'the scrubber shows on a recorded trace');
    assert.equal(await scrubber.getAttribute('max'), String(total - 1));

    // Scrubber to the middle: the status line follows.
    const before = await status(page);
    const middle = Math.floor(total / 2);
    await scrubber.fill(String(middle));
    await settle(page, before);
    await waitForEvent(page, middle + 1);
    assert.deepEqual(await position(page), [middle + 1, total]);

    // Jump to an event number (as the status line counts, from 1).
    const target = Math.floor(total / 3);
    await page.locator('input[data-role=jump-event]').fill(String(target));
    await page.locator('input[data-role=jump-event]').press('Enter');
    await waitForEvent(page, target);
    assert.deepEqual(await position(page), [target, total]);
    assert.equal(await scrubber.inputValue(), String(target - 1), 'the scrubber follows the cursor');

    // Jump to a time: the last event at or before it.
    await page.locator('button[data-cmd=last]').click();
    await waitForEvent(page, total);
    const lastTime = Number(await attr(page, 'data-time'));
    await page.locator('button[data-cmd=first]').click();
    await waitForEvent(page, 1);
    const firstTime = Number(await attr(page, 'data-time'));
    assert.ok(lastTime > firstTime, `the events' times (${firstTime}..${lastTime} µs)`);
    const seconds = (firstTime + (lastTime - firstTime) * 0.6) / 1e6;
    await page.locator('input[data-role=jump-time]').fill(String(seconds));
    await page.locator('input[data-role=jump-time]').press('Enter');
    await page.waitForFunction(() => !/event 1 of/.test(document.querySelector('[data-role=status]')?.textContent ?? ''));
    const [at] = await position(page);
    const t = Number(await attr(page, 'data-time'));
    assert.ok(t <= seconds * 1e6, `event ${at} at ${t} µs is at or before ${seconds * 1e6} µs`);
    // ...and the next event is after it.
    await page.locator('input[data-role=jump-event]').fill(String(at + 1));
    await page.locator('input[data-role=jump-event]').press('Enter');
    await waitForEvent(page, at + 1);
    assert.ok(Number(await attr(page, 'data-time')) > seconds * 1e6, 'the event after it is later than the time asked for');
    assert.deepEqual(watched.errors(), []);
  });
});

test('next/previous event of the selected worker', async () => {
  await board(served.browser, 'replay-greenlet', served.server.url, async (page, watched) => {
    // A worker: a greenlet whose name mentions "worker".
    const rows = page.locator('[data-view=greenlets] tr[data-g]');
    const names = await rows.evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-g'), r.querySelector('td[data-col=name]')?.textContent ?? '']));
    const worker = names.find(([, name]) => /worker/.test(name ?? ''))?.[0];
    assert.ok(worker, `a worker among ${JSON.stringify(names)}`);
    await page.locator(`[data-view=greenlets] tr[data-g="${worker}"] td[data-col=name]`).click();
    await page.waitForFunction((g) => document.querySelector(`[data-view=greenlets] tr[data-g="${g}"]`)?.matches('.selected, [aria-selected=true]') ?? false, worker);
    assert.equal(await page.locator('button[data-cmd=nextOfGreenlet]').isDisabled(), false);

    const before = await status(page);
    await page.locator('button[data-cmd=first]').click();
    await settle(page, before);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const was = await status(page);
      await page.locator('button[data-cmd=nextOfGreenlet]').click();
      const now = await settle(page, was);
      assert.notEqual(now, was, 'the cursor moved');
      const involves = (await attr(page, 'data-involves')).split(' ');
      assert.ok(involves.includes(worker!), `event ${(await position(page))[0]} (${await attr(page, 'data-kind')}) involves g${worker}: ${involves}`);
      seen.push((await position(page))[0]);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'forward, in order');
    // Back: the previous one of the worker's events.
    const was = await status(page);
    await page.locator('button[data-cmd=prevOfGreenlet]').click();
    await settle(page, was);
    assert.equal((await position(page))[0], seen[seen.length - 2], 'back to the worker\'s event before');
    assert.ok((await attr(page, 'data-involves')).split(' ').includes(worker!));
    // The row stays selected.
    assert.ok(await page.locator(`[data-view=greenlets] tr[data-g="${worker}"]`).evaluate((r) => r.matches('.selected, [aria-selected=true]')));
    assert.deepEqual(watched.errors(), []);
  });
});

test('play advances one switch at a time and stops at the end', async () => {
  await board(served.browser, 'replay-play', served.server.url, async (page, watched) => {
    const [, total] = await position(page);
    await page.locator('button[data-cmd=first]').click();
    await waitForEvent(page, 1);
    await page.locator('select[data-role=speed]').selectOption('100');
    const play = page.locator('button[data-cmd=play]');
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'true');
    await page.waitForTimeout(300);
    const [mid] = await position(page);
    assert.ok(mid > 1, `the cursor advanced while playing (event ${mid})`);
    await page.waitForFunction(() => document.querySelector('button[data-cmd=play]')?.getAttribute('aria-pressed') === 'false', null, { timeout: 30_000 });
    await waitForEvent(page, total);
    assert.deepEqual(await position(page), [total, total], 'stopped at the last event');
    await page.waitForTimeout(200);
    assert.deepEqual(await position(page), [total, total], 'and stays there');

    // Pause stops it midway.
    await page.locator('select[data-role=speed]').selectOption('20');
    await play.click();
    await page.waitForTimeout(250);
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    const [paused] = await position(page);
    await page.waitForTimeout(300);
    assert.equal((await position(page))[0], paused, 'paused');
    assert.ok(paused < total, 'play from the end starts over');
    assert.deepEqual(watched.errors(), []);
  });
});
