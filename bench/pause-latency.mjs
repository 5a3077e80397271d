// Pause latency in the real VS Code (code-server driven in Chromium, as the
// end-to-end tests run it): bench/workloads/pool_1000.py (1000 greenlets,
// tens of thousands of events a second) debugged with its launch
// configuration; then, alternately with the board open and closed, the
// debug toolbar's Pause clicked and the time until the stopped UI shows
// (the toolbar offers Continue and the Call Stack lists the paused
// greenlets), then Continue. Reported by npm run bench, never asserted.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export async function measurePauseLatency(root, runs) {
  const e2e = require(join(root, 'out', 'test', 'e2e', 'support.js'));
  const name = 'pool_1000.py: 1000 busy greenlets (bench)';
  const vs = await e2e.startVsCode('bench-pause', (ws) => e2e.addLaunchConfig(ws, {
    type: 'greenlet', request: 'launch', name, program: join(root, 'bench', 'workloads', 'pool_1000.py'), cwd: ws, blockedLoopMs: 0,
  }));
  const { page } = vs;
  const toolbar = (label) => page.locator(`.debug-toolbar .action-label[aria-label^="${label}"]`);
  const boardTabs = page.locator('.tabs-container .tab', { hasText: 'Greenlet Lens' });
  try {
    await e2e.explorerRow(page, 'bounded_queue.py').waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+D');
    await page.locator('.start-debug-action-item select').selectOption({ label: name });
    await page.locator('.start-debug-action-item .codicon-debug-start').click();
    await toolbar('Pause').waitFor({ timeout: 60_000 });
    await e2e.board(page).locator('body[data-ready=true]').waitFor({ timeout: 60_000 });
    const samples = { open: [], closed: [] };
    const pauseOnce = async () => {
      await page.waitForTimeout(1500); // running, events streaming
      await toolbar('Pause').click();
      const t0 = Date.now();
      await toolbar('Continue').waitFor({ timeout: 120_000 });
      await e2e.until('the paused greenlets in the Call Stack', () => e2e.callStackThreads(page), (t) => t.length >= 5, 120_000);
      const ms = Date.now() - t0;
      await toolbar('Continue').click();
      await toolbar('Pause').waitFor({ timeout: 60_000 });
      return ms;
    };
    for (let i = 0; i < runs; i++) {
      samples.open.push(await pauseOnce());
      // Close the board (its tab), measure, open it again (it reloads and catches up, as a user's would).
      await boardTabs.first().locator('.codicon-close').click();
      await boardTabs.first().waitFor({ state: 'detached', timeout: 30_000 });
      samples.closed.push(await pauseOnce());
      await e2e.runCommand(page, 'Greenlet Lens: Open Board');
      await e2e.board(page).locator('body[data-ready=true]').waitFor({ timeout: 60_000 });
    }
    await e2e.shot(page, 'bench-pause');
    await toolbar('Stop').click();
    return samples;
  } finally {
    await vs.close();
  }
}
