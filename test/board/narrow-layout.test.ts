// The board in a narrow editor (VS Code puts it beside the source, often
// 500–700 px wide): the toolbar wraps, and nothing in it may draw over the
// tabs or the panes. Seen in a real VS Code: the status line sat on the tabs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { board, EXAMPLES, servedRecording } from './support';

const served = servedRecording(`${EXAMPLES}/bounded_queue.py`);

async function box(page: Page, selector: string): Promise<{ top: number; bottom: number }> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b !== null, `${selector} is not shown`);
  return { top: b.y, bottom: b.y + b.height };
}

for (const width of [520, 760]) {
  test(`at ${width} px wide the toolbar, the tabs and the panes are stacked without overlap`, async () => {
    await board(served.browser, `narrow-${width}`, served.server.url, async (page) => {
      await page.setViewportSize({ width, height: 800 });
      await page.waitForTimeout(100);
      const toolbar = await box(page, '.toolbar');
      const status = await box(page, '[data-role=status]');
      const tabs = await box(page, '.tabs');
      const panes = await box(page, '.panes');
      assert.ok(status.bottom <= toolbar.bottom + 0.5, `status line (${status.bottom}) inside the toolbar (${toolbar.bottom})`);
      assert.ok(toolbar.bottom <= tabs.top + 0.5, `toolbar ends (${toolbar.bottom}) before the tabs start (${tabs.top})`);
      assert.ok(tabs.bottom <= panes.top + 0.5, `tabs end (${tabs.bottom}) before the panes start (${panes.top})`);
      const tabHeights = await page.locator('.tab').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      assert.equal(new Set(tabHeights.map((h) => Math.round(h))).size, 1, `tab labels on one line each: ${tabHeights.join(', ')}`);
    });
  });
}
