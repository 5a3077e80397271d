// Program data that looks like HTML (a greenlet named "<img src=x
// onerror=alert(1)>", a queue item holding a <script>) is shown as the text
// it is, and nothing in it runs: no dialog, no console error, no <img>.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { board, greenletId, PROGRAMS, scanSwitches, servedRecording } from './support';

const NAME = '<img src=x onerror=alert(1)>';
const ITEM = '<script>window.__pwned = true; alert("queue item")</script>';

const served = servedRecording(`${PROGRAMS}/board_hostile.py`);

test('a greenlet named like an <img> and a queue item holding a <script> are literal text, and run nothing', async () => {
  await board(served.browser, 'hostile', served.server.url, async (page, watched) => {
    const id = await greenletId(page, NAME);
    const nameCell = page.locator(`[data-view=greenlets] tr[data-g="${id}"] td[data-col=name]`);
    assert.equal(await nameCell.locator('*').count(), 0, 'the name cell holds text, no elements');
    // The item stays in the queue (nobody gets it); the board shows its repr.
    const items = await page.locator('[data-view=queues] [data-role=items] li').allTextContents();
    assert.ok(items.some((t) => t.includes(ITEM)), `queue items: ${JSON.stringify(items)}`);
    const value = await page.locator(`[data-view=greenlets] tr[data-g="${id}"] td[data-col=value]`).textContent();
    assert.equal(value?.trim(), "'<b onmouseover=alert(2)>value</b>'");

    // Draw every state of the trace, then hover the hostile texts and select the greenlet (tooltips, details).
    const steps = await scanSwitches(page, '() => null');
    assert.ok(steps.length > 1, 'the cursor moved through the trace');
    await page.locator('button[data-cmd=last]').first().click();
    await nameCell.hover();
    await nameCell.click();
    await page.locator('[data-view=queues] [data-role=items] li').first().hover().catch(() => undefined);
    await page.waitForTimeout(200);

    const dom = await page.evaluate(`({
      imgs: document.querySelectorAll('img').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.id || s.src || 'inline'),
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      bolds: document.querySelectorAll('b').length,
      pwned: window.__pwned === true,
    })`) as { imgs: number; scripts: string[]; handlers: number; bolds: number; pwned: boolean };
    assert.equal(dom.imgs, 0, 'no <img> element was created');
    assert.equal(dom.handlers, 0, 'no element has an on* attribute');
    assert.equal(dom.bolds, 0, 'no <b> element from the value');
    assert.equal(dom.pwned, false, 'the queue item\'s script did not run');
    assert.equal(dom.scripts.filter((s) => s === 'inline').length, 0, `only the boot JSON and the bundle: ${dom.scripts}`);
    assert.deepEqual(watched.dialogs, [], 'no dialog opened');
    assert.deepEqual(watched.errors(), [], 'no console errors (a CSP violation would be one)');
  });
});
