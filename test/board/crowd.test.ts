// The board on a program of a thousand greenlets (test/programs/crowd.py:
// 1000 workers waiting on one queue, 5 watchers on an Event, a two-lock
// deadlock): the wait-for graph groups the workers into one node with their
// count, shows the cycle, marks the selected greenlet's chain, and never
// overlaps two nodes, wide or in a 220 px panel; the timeline starts at the
// first spawn and its start-up toggle (kept in the view state) shows the rest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, board, cleanup, CLI, launch, PROGRAMS, record, serve, type ViewServer } from './support';

let browser: Browser | undefined;
let server: ViewServer;
let firstEventTime = 0;
let firstSpawnTime = 0;
before(async () => {
  browser = await launch();
  const trace = record(path.join(PROGRAMS, 'crowd.py'), ['1000']);
  const r = spawnSync(process.execPath, [CLI, 'cat', trace], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; kind: string; gkind?: string });
  firstEventTime = events[0]!.t;
  firstSpawnTime = events.find((e) => e.kind === 'spawn' && e.gkind !== 'main' && e.gkind !== 'hub')!.t;
  server = await serve(trace);
});
after(() => cleanup(browser));

/** Every pair of wait-for graph nodes whose boxes (mark and label, in the scene's coordinates) overlap. */
function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<SVGGElement>('[data-view=waitgraph] g.node')].map((n) => {
      const b = n.getBBox();
      const m = n.transform.baseVal.consolidate()?.matrix;
      return { id: n.getAttribute('data-node'), x: b.x + (m?.e ?? 0), y: b.y + (m?.f ?? 0), w: b.width, h: b.height };
    });
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${a.id} and ${b.id}`);
      }
    }
    return boxes.length === 0 ? ['no nodes'] : out;
  });
}

const node = (page: Page, id: string): Promise<Record<string, string | null>> =>
  page.locator(`[data-view=waitgraph] [data-node=${id}]`).first().evaluate((n) => ({
    text: n.querySelector('text')?.textContent ?? null, count: n.getAttribute('data-count'),
    chain: n.getAttribute('data-chain'), cycle: n.getAttribute('data-cycle'),
  }));

test('1000 workers on one queue are one node "worker ×1000"; the deadlock cycle and a selected worker\'s chain show; no nodes overlap', async () => {
  await board(browser!, 'crowd-waitgraph', server.url, async (page, watched) => {
    await page.locator('button[data-tab=waitgraph]').click();
    const workers = page.locator('[data-view=waitgraph] g.node[data-count="1000"]');
    await workers.waitFor();
    assert.equal(await workers.locator('text').textContent(), 'worker ×1000');
    assert.equal(await page.locator('[data-view=waitgraph] g.node[data-count="5"] text').textContent(), 'watcher ×5');
    // The two lock takers, each on its own, and the four edges of their cycle.
    const cycle = await page.locator('[data-view=waitgraph] g.node[data-cycle=true] text').allTextContents();
    assert.equal(cycle.filter((t) => t.endsWith(' take')).length, 2, JSON.stringify(cycle));
    assert.equal(cycle.filter((t) => t === 'left_lock' || t === 'right_lock').length, 2, JSON.stringify(cycle));
    assert.equal(await page.locator('[data-view=waitgraph] path.edge[data-cycle=true]').count(), 4);
    assert.deepEqual(await overlaps(page), []);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-waitgraph-1000.png') });

    // Clicking the group selects its first worker: it leaves the group, and it and its queue are its chain.
    const first = Number(await workers.getAttribute('data-g'));
    await workers.click();
    await page.locator(`[data-view=waitgraph] [data-node=g${first}][data-chain=true]`).waitFor();
    assert.equal((await node(page, `g${first}`)).text, `g${first} worker`);
    const queue = page.locator('[data-view=waitgraph] g.node[data-node^=o]', { hasText: 'Queue' });
    assert.equal(await queue.getAttribute('data-chain'), 'true');
    assert.equal(await page.locator('[data-view=waitgraph] g.node[data-count="999"] text').textContent(), 'worker ×999');
    assert.equal(await page.locator(`[data-view=waitgraph] path.edge[data-from=g${first}][data-chain=true]`).count(), 1);
    assert.equal(await page.locator('[data-view=waitgraph] g.node[data-count="999"]').getAttribute('data-chain'), null);
    assert.deepEqual(await overlaps(page), []);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-waitgraph-1000-selected.png') });
    assert.deepEqual(watched.errors(), []);
  });
});

test('in a 220 px panel the wait-for graph stacks its layers and still overlaps nothing', async () => {
  await board(browser!, 'crowd-waitgraph-narrow', server.url, async (page, watched) => {
    await page.locator('button[data-tab=waitgraph]').click();
    await page.locator('[data-view=waitgraph] g.node[data-count="1000"]').waitFor();
    assert.deepEqual(await overlaps(page), []);
    // Every node inside the panel: nothing to scroll sideways for.
    const outside = await page.evaluate(() => [...document.querySelectorAll('[data-view=waitgraph] g.node')]
      .filter((n) => n.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((n) => n.textContent));
    assert.deepEqual(outside, []);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-waitgraph-narrow-220.png') });
    assert.deepEqual(watched.errors(), []);
  }, { beforeGoto: (page) => page.setViewportSize({ width: 220, height: 800 }) });
});

test('the time axis starts at the first spawn; the start-up toggle shows the rest and is kept across a reload', async () => {
  await board(browser!, 'crowd-startup', server.url, async (page, watched) => {
    await page.locator('button[data-tab=timeline]').click();
    const timeline = page.locator('[data-view=timeline]');
    const domain = async (): Promise<number[]> => ((await timeline.getAttribute('data-domain')) ?? '').split(' ').map(Number);
    for (let i = 0; i < 100 && (await timeline.getAttribute('data-domain')) === null; i++) await page.waitForTimeout(50);
    assert.ok(firstSpawnTime > firstEventTime, `the program spawns after start-up: ${firstEventTime} ${firstSpawnTime}`);
    assert.equal((await domain())[0], firstSpawnTime);
    const toggle = page.locator('button[data-role=startup]');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    await page.locator('button[data-role=startup][aria-pressed=true]').waitFor();
    for (let i = 0; i < 100 && (await domain())[0] !== firstEventTime; i++) await page.waitForTimeout(50);
    assert.equal((await domain())[0], firstEventTime);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-timeline-startup.png') });
    // The view state (sessionStorage here, setState in VS Code) keeps it.
    await page.waitForTimeout(400);
    await page.reload();
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached' });
    await page.locator('button[data-role=startup][aria-pressed=true]').waitFor();
    for (let i = 0; i < 100 && (await domain())[0] !== firstEventTime; i++) await page.waitForTimeout(50);
    assert.equal((await domain())[0], firstEventTime);
    await page.locator('button[data-role=startup]').click();
    for (let i = 0; i < 100 && (await domain())[0] !== firstSpawnTime; i++) await page.waitForTimeout(50);
    assert.equal((await domain())[0], firstSpawnTime);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-timeline-from-spawn.png') });
    assert.deepEqual(watched.errors(), []);
  });
});

test('the greenlets grouped by function and state: "worker · blocked on tasks.get" ×1000, opening to its members; kept across a reload', async () => {
  await board(browser!, 'crowd-groups', server.url, async (page, watched) => {
    await page.locator('button[data-tab=greenlets]').click();
    await page.locator('button[data-role=group-toggle]').click();
    const workers = page.locator('[data-view=greenlet-groups] .group[data-count="1000"]');
    await workers.waitFor();
    assert.equal((await workers.locator('.group-func').textContent())?.trim(), 'worker');
    assert.match((await workers.locator('.group-state').textContent()) ?? '', /^blocked on tasks\.get$/);
    const counts = await page.locator('[data-view=greenlet-groups] .group').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-count'))));
    assert.deepEqual(counts.slice(0, 2), [1000, 5], 'biggest first: the workers, then the watchers');
    assert.equal(counts.reduce((a, b) => a + b, 0), 1000 + 5 + 2 + 1 + 2, 'every greenlet in one group: workers, watchers, takers, the producer, main and the hub');
    assert.equal(await page.locator('[data-view=greenlets] table.greenlets').isVisible(), false);
    // No state name reads raw anywhere in the list.
    assert.doesNotMatch((await page.locator('[data-view=greenlet-groups]').textContent()) ?? '', /dead_ok|dead_exception|not_started/);
    await workers.locator('.group-head').click();
    const chips = workers.locator('.chip[data-g]');
    await chips.first().waitFor();
    assert.equal(await workers.locator('.more-chips').textContent(), `+${1000 - (await chips.count())} more`);
    const g = await chips.nth(2).getAttribute('data-g');
    await chips.nth(2).click();
    await page.locator(`[data-view=greenlet-groups] .chip.selected[data-g="${g}"]`).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-greenlet-groups.png') });
    await page.waitForTimeout(400);
    await page.reload();
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached' });
    await page.locator('[data-view=greenlet-groups] .group[data-count="1000"]').waitFor();
    // "in the table": the group's greenlets listed in the table by its function and state.
    await page.locator('[data-view=greenlet-groups] .group[data-count="5"] .group-head').click();
    await page.locator('[data-view=greenlet-groups] .group[data-count="5"] [data-role=group-in-table]').click();
    await page.locator('[data-view=greenlets] table.greenlets').waitFor();
    await page.locator('[data-view=greenlets] tr[data-g]').first().waitFor();
    const names = await page.locator('[data-view=greenlets] tr[data-g] td[data-col=name]').allTextContents();
    assert.deepEqual(names, Array(5).fill('watcher'));
    assert.deepEqual(watched.errors(), []);
  });
});

test('no raw state or reason name (dead_ok, queue_get…) reads anywhere on the board: tabs, titles, the state filter', async () => {
  await board(browser!, 'crowd-words', server.url, async (page, watched) => {
    const RAW = /\b(dead_ok|dead_exception|not_started|queue_get|queue_put|event_wait|result_get|lock_acquire)\b/;
    const options = await page.locator('select[data-role=state-filter] option').allTextContents();
    assert.ok(options.includes('dead') && options.includes('failed') && options.includes('not started'), JSON.stringify(options));
    for (const tab of ['overview', 'greenlets', 'timeline', 'objects', 'waitgraph', 'spawntree', 'findings']) {
      await page.locator(`button[data-tab=${tab}]`).click();
      await page.locator(`body[data-active-tab=${tab}]`).waitFor({ state: 'attached' });
      await page.waitForTimeout(300);
      const words = await page.evaluate(() => [document.body.innerText,
        ...[...document.querySelectorAll('[title], title, option')].map((n) => n.getAttribute('title') ?? n.textContent ?? '')].join('\n'));
      const raw = words.split('\n').filter((l) => RAW.test(l));
      assert.deepEqual(raw, [], `tab ${tab}`);
    }
    assert.deepEqual(watched.errors(), []);
  });
});
