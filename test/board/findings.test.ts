// The Findings tab on real recordings in Chromium: what is wrong, worst
// first; a click moves the cursor to where it became true and selects the
// greenlet; "why is it not running?" for the selected greenlet; a clean
// program says so; the tab's label counts them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import * as path from 'node:path';
import { ARTIFACTS, board, cleanup, EXAMPLES, launch, record, serve, type ViewServer } from './support';

let browser: Browser | undefined;
const servers: Record<string, ViewServer> = {};
before(async () => {
  browser = await launch();
  servers['undrained'] = await serve(record(`${EXAMPLES}/bugs/undrained_queue.py`));
  servers['events'] = await serve(record(`${EXAMPLES}/events.py`));
});
after(() => cleanup(browser));

test('bugs/undrained_queue.py: three findings, worst first; a click moves the cursor there and explains the producer', async () => {
  await board(browser!, 'findings-undrained', servers['undrained']!.url, async (page, watched) => {
    const tab = page.locator('button[data-tab=findings]');
    await page.waitForFunction(() => document.querySelector('button[data-tab=findings]')?.textContent === 'Findings (3)');
    await tab.click();
    const items = page.locator('[data-view=findings] [data-finding]');
    await items.first().waitFor();
    assert.deepEqual(await items.evaluateAll((n) => n.map((x) => x.getAttribute('data-kind'))),
      ['unobserved-exception', 'never-woken', 'deadlock-exhaustion']);
    assert.deepEqual(await items.evaluateAll((n) => n.map((x) => x.querySelector('[data-role=line]')?.textContent)),
      ['undrained_queue.py:18', 'undrained_queue.py:25', 'undrained_queue.py:29']);
    assert.match(await items.nth(0).locator('[data-role=message]').innerText(), /g\d+ consumer died of KeyError: id/);

    const producer = items.nth(1);
    await producer.click();
    const status = page.locator('[data-role=status]');
    await page.waitForFunction(() => document.querySelector('[data-view=why] [data-role=why-verdict]')?.textContent?.includes('producer'));
    const cursor = Number(await status.getAttribute('data-cursor'));
    const consumerDied = await page.evaluate(() => Number(document.querySelector('[data-view=findings] [data-finding]')!.getAttribute('title')!.match(/event (\d+)/)![1]));
    assert.ok(cursor > consumerDied - 1, `the cursor (${cursor}) is where the producer became unwakeable, after the consumer died (${consumerDied - 1})`);
    assert.match(await page.locator('[data-view=why] h3').innerText(), /^Why is g\d+ producer not running\?$/);
    assert.match(await page.locator('[data-view=why] [data-role=why-verdict]').innerText(),
      /^g\d+ producer waits for room to put into jobs at undrained_queue\.py:25\. It can never run again: nobody alive could get from it\.$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-findings.png') });
    // The greenlets table shows the selection too.
    await page.locator('button[data-tab=greenlets]').click();
    assert.match(await page.locator('[data-view=greenlets] tr.selected td[data-col=name]').innerText(), /producer/);
    assert.deepEqual(watched.errors(), []);
  });
});

test('a clean program: "No findings.", and why a blocked greenlet waits (it wakes by itself, or who could wake it)', async () => {
  await board(browser!, 'findings-events', servers['events']!.url, async (page, watched) => {
    await page.locator('button[data-tab=findings]').click();
    await page.locator('[data-role=no-findings]').waitFor();
    assert.equal(await page.locator('[data-view=findings] [data-finding]').count(), 0);
    assert.equal(await page.locator('button[data-tab=findings]').innerText(), 'FINDINGS');
    // At the first switch into a waiter, the setter still sleeps: it wakes by itself.
    await page.locator('button[data-tab=greenlets]').click();
    await page.locator('button[data-cmd=first]').click();
    for (let i = 0; i < 6; i++) await page.locator('button[data-cmd=nextSwitch]').click();
    await page.locator('[data-view=greenlets] tr[data-g]', { hasText: 'setter' }).first().locator('td[data-col=name]').click();
    await page.locator('button[data-tab=findings]').click();
    await page.waitForFunction(() => /setter/.test(document.querySelector('[data-view=why] h3')?.textContent ?? ''));
    assert.match(await page.locator('[data-view=why] [data-role=why-verdict]').innerText(), /^g\d+ setter (sleeps at events\.py:\d+ \(timeout [\d.]+ s\)\. It wakes by itself|is running|is ready to run)/);
    assert.deepEqual(watched.errors(), []);
  });
});
