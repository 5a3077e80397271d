// The board in a narrow panel (VS Code's side panel, a split editor under
// 260 px; narrow-layout.test.ts covers 500-760 px): every control, tab and the status line stay inside the panel,
// the greenlets are listed with their names and states.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, board, EXAMPLES, servedRecording } from './support';

const served = servedRecording(path.join(EXAMPLES, 'bounded_queue.py'));

for (const width of [200, 160]) {
  test(`at ${width} px wide nothing sticks out of the panel and the greenlets read by name and state`, async () => {
    await board(served.browser, `narrow-panel-${width}`, served.server.url, async (page, watched) => {
      await page.locator('body[data-ready=true]').waitFor({ timeout: 15_000 });
      const outside = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const out: string[] = [];
        for (const el of document.querySelectorAll<HTMLElement>('button, select, input, .tab, [data-role=status]')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || el.closest('[hidden]') !== null) continue;
          // A scrolling strip (the tabs) may hold items beyond its edge: what matters is the strip.
          if (el.closest('.tabs') !== null && el.classList.contains('tab')) continue;
          if (r.right > w + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()}${el.dataset['cmd'] ? `[${el.dataset['cmd']}]` : ''} ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
        const tabs = document.querySelector<HTMLElement>('.tabs')!.getBoundingClientRect();
        if (tabs.right > w + 1) out.push(`tabs ${Math.round(tabs.right)}`);
        return { w, out };
      });
      await page.screenshot({ path: path.join(ARTIFACTS, `board-narrow-${width}.png`) });
      assert.equal(outside.w, width);
      assert.deepEqual(outside.out, [], `outside the ${width} px panel`);
      await page.locator('.tab', { hasText: /greenlets/i }).first().click();
      const row = page.locator('[data-view=greenlets] tr[data-g="2"]');
      await row.waitFor();
      const name = await row.locator('td[data-col=name]').boundingBox();
      const state = await row.locator('td[data-col=state]').boundingBox();
      assert.ok(name !== null && name.x + name.width <= width, `the name column is inside: ${JSON.stringify(name)}`);
      assert.ok(state !== null && state.x < width && state.width > 40, `the state column shows: ${JSON.stringify(state)}`);
      assert.deepEqual(watched.errors(), []);
    }, { beforeGoto: (page) => page.setViewportSize({ width, height: 800 }) });
  });
}
