// A recording that followed forked children, on the board: `greenlet-lens
// view run.glt` lists every process (the program, then its children by pid,
// each "forked from" its parent) and choosing one shows that process's board.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readTraceFile } from '../../shared/trace/read-file';
import { ARTIFACTS, board, cleanup, launch, PROGRAMS, READY, record, serve, type ViewServer } from './support';

let browser: Browser | undefined;
let server: ViewServer | undefined;
let folderServer: ViewServer | undefined;
let trace = '';
before(async () => {
  browser = await launch();
  trace = record(path.join(PROGRAMS, 'forks.py'));
  server = await serve(trace);
  folderServer = await serve(`${trace}.d`);
});
after(() => cleanup(browser));

/** The labels the board should list: the program's pid, then each child's with its parent's. */
async function expectedLabels(): Promise<string[]> {
  const files = [trace, ...fs.readdirSync(`${trace}.d`).map((n) => path.join(`${trace}.d`, n))];
  const headers = await Promise.all(files.map(async (f) => (await readTraceFile(f)).header!));
  const [parent, ...children] = headers;
  children.sort((a, b) => a.pid - b.pid);
  return [`pid ${parent!.pid}`, ...children.map((h) => `pid ${h.pid} (forked from ${h.parentPid})`)];
}

const options = (page: Page) => page.locator('[data-role=process-select] option').allTextContents();
const chosen = (page: Page) => page.locator('[data-role=process-select] option:checked').textContent();
/** The first queue's items at the board's cursor (the end of the trace). */
const queueItems = (page: Page) => page.locator('[data-view=queues] [data-queue]').first().locator('[data-role=items] li').allTextContents();

test('the board lists the processes of a recording that followed children and switches to the one chosen', async () => {
  const labels = await expectedLabels();
  assert.equal(labels.length, 4, labels.join('\n'));
  const child = labels[1]!;
  await board(browser!, 'processes', server!.url, async (page) => {
    assert.deepEqual(await options(page), [...labels, 'All processes, side by side']);
    assert.equal(await chosen(page), labels[0]);
    // The program's queue: what it put, never drained.
    await page.waitForFunction(() => document.querySelector('[data-view=queues] [data-queue]') !== null);
    assert.deepEqual(await queueItems(page), ["'before-fork'", "'in-parent'"]);

    await Promise.all([page.waitForURL(/[?&]process=1\b/), page.selectOption('[data-role=process-select]', { label: child })]);
    await page.waitForSelector(READY, { state: 'attached', timeout: 15_000 });
    assert.equal(await chosen(page), child);
    assert.deepEqual(await options(page), [...labels, 'All processes, side by side']);
    assert.ok((await page.title()).includes(child), await page.title());
    // The first child's board: the same queue (its id kept at the fork), drained there and given 'in-child'.
    await page.waitForFunction(() => document.querySelector('[data-view=queues] [data-queue]') !== null);
    assert.deepEqual(await queueItems(page), ["'in-child'"]);

    // And back.
    await Promise.all([page.waitForURL((u) => !u.search.includes('process=')), page.selectOption('[data-role=process-select]', { label: labels[0]! })]);
    await page.waitForSelector(READY, { state: 'attached', timeout: 15_000 });
    assert.equal(await chosen(page), labels[0]);
  });
});

test('view of the children folder serves the same recording, and a single trace has no process list', async () => {
  const labels = await expectedLabels();
  await board(browser!, 'processes-folder', folderServer!.url, async (page) => {
    assert.deepEqual(await options(page), [...labels, 'All processes, side by side']);
  });
  const single = await serve(path.join(`${trace}.d`, fs.readdirSync(`${trace}.d`)[0]!));
  await board(browser!, 'processes-single', single.url, async (page) => {
    assert.equal(await page.locator('[data-role=processes]').count(), 0);
  });
});

const FORK_LATER = path.join(PROGRAMS, 'fork_later.py');
/** fork_later.py's child sleeps this long after the fork before it spawns its own greenlets. */
const CHILD_S = 0.3;

/** The axis of the timeline as drawn: its kind, the values at the plot's edges, and where the plot is in the canvas. */
async function axisOf(page: Page): Promise<{ axis: string; start: number; end: number; left: number; width: number }> {
  const text = await page.locator('[data-view=timeline]').getAttribute('data-axis');
  const [axis, start, end, left, width] = (text ?? '').split(' ');
  return { axis: axis!, start: Number(start), end: Number(end), left: Number(left), width: Number(width) };
}

test('all processes side by side: each process\'s lanes under its name on one time axis, the child\'s own greenlets start after the fork (by the time it slept); a click on a child\'s lane shows that process', async () => {
  const trace = record(FORK_LATER);
  const childFile = path.join(`${trace}.d`, fs.readdirSync(`${trace}.d`)[0]!);
  const [parent, child] = await Promise.all([readTraceFile(trace), readTraceFile(childFile)]);
  const parentLabel = `pid ${parent.header!.pid}`;
  const childLabel = `pid ${child.header!.pid} (forked from ${parent.header!.pid})`;
  // The child's own greenlets (the parent's `work` greenlets ended before the fork, so none is inherited).
  const own = child.events.flatMap((e) => (e.kind === 'spawn' && e.func === 'work' ? [e.g] : []));
  assert.ok(own.length > 0, 'the child spawned greenlets of its own');
  const forker = parent.events.find((e) => e.kind === 'spawn' && e.func === 'forker');
  assert.ok(forker?.kind === 'spawn');
  const s = await serve(trace);

  await board(browser!, 'processes-side-by-side', s.url, async (page) => {
    assert.ok((await options(page)).includes('All processes, side by side'));
    await Promise.all([page.waitForURL(/[?&]process=all\b/), page.selectOption('[data-role=process-select]', { label: 'All processes, side by side' })]);
    await page.waitForSelector(READY, { state: 'attached', timeout: 15_000 });
    assert.equal(await chosen(page), 'All processes, side by side');
    assert.match(await page.locator('[data-role=process-focus]').textContent() ?? '', new RegExp(`show ${parentLabel} `));
    await page.locator('button[data-tab=timeline]').click();
    await page.waitForFunction(() => document.querySelector('[data-view=timeline]')?.getAttribute('data-axis')?.startsWith('time ') === true);

    // Each lane names its process and greenlet in its tooltip: read them down the canvas.
    const canvas = page.locator('[data-view=timeline] canvas');
    const box = (await canvas.boundingBox())!;
    const axis = await axisOf(page);
    const tip = page.locator('[data-view=timeline] .tip');
    const tipAt = async (x: number, y: number): Promise<string> => {
      await canvas.hover({ position: { x, y } });
      return (await tip.isHidden()) ? '' : (await tip.textContent()) ?? '';
    };
    const rows: { y: number; text: string }[] = [];
    for (let y = 22 + 10; y < box.height; y += 20) rows.push({ y, text: await tipAt(axis.left + axis.width - 2, y) });
    const rowOf = (proc: string, g: number): number => {
      const row = rows.find((r) => r.text.startsWith(`${proc} · g${g} `));
      assert.ok(row, `no lane of g${g} under ${proc}:\n${rows.map((r) => r.text).join('\n')}`);
      return row.y;
    };
    assert.ok(rows.some((r) => r.text.startsWith(`${parentLabel} · `)), 'the program\'s lanes are shown');
    assert.ok(rows.some((r) => r.text.startsWith(`${childLabel} · `)), 'the child\'s lanes are shown');

    /** The first x of the plot where the lane's tooltip says `after` (and from there on). */
    const firstX = async (y: number, after: (tip: string) => boolean): Promise<number> => {
      let lo = axis.left + 1;
      let hi = axis.left + axis.width - 2;
      assert.ok(!after(await tipAt(lo, y)) && after(await tipAt(hi, y)), `the lane at y=${y} changes in view`);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (after(await tipAt(mid, y))) hi = mid;
        else lo = mid;
      }
      return hi;
    };
    // The fork: where the forker greenlet, which returned right after it, is dead in the parent.
    const forkX = await firstX(rowOf(parentLabel, forker.g), (t) => t.includes(' · dead · '));
    const childX = await firstX(rowOf(childLabel, own[0]!), (t) => !t.includes(' · not started · '));
    const seconds = (px: number): number => (px / axis.width) * (axis.end - axis.start) / 1e6;
    // On one axis the child's greenlets start CHILD_S after the forker returned in the parent; on
    // axes of their own they would start at CHILD_S, well before the parent's fork (0.8 s in).
    assert.ok(childX > forkX, `the child's first greenlet (x ${childX}) starts after the fork (x ${forkX})`);
    const gap = seconds(childX - forkX);
    assert.ok(gap >= CHILD_S - 0.02 && gap < CHILD_S + 0.5, `the child's first greenlet starts ${gap.toFixed(3)} s after the fork, it slept ${CHILD_S} s`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-processes-side-by-side.png') });

    // A click on the child's lane: the board shows the child, that greenlet selected, as on its own page.
    await canvas.click({ position: { x: childX + 3, y: rowOf(childLabel, own[0]!) } });
    await page.waitForFunction((label) => document.querySelector('[data-role=process-focus]')?.textContent?.includes(label) === true, childLabel);
    assert.match(page.url(), /[?&]focus=1\b/);
    await page.locator('button[data-tab=greenlets]').click();
    const row = page.locator(`[data-view=greenlets] tr[data-g="${own[0]}"]`);
    await page.waitForFunction((g) => document.querySelector(`[data-view=greenlets] tr[data-g="${g}"]`)?.getAttribute('aria-selected') === 'true', own[0]!);
    assert.equal(await row.locator('td[data-col=name]').textContent(), 'work');
    // The child's table: its own greenlets, none of the parent's that ended before the fork.
    const ids = (await page.locator('[data-view=greenlets] tr[data-g]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-g'))))).sort((a, b) => a - b);
    assert.ok(own.every((g) => ids.includes(g)), `the child's greenlets ${own.join(' ')} in its table: ${ids.join(' ')}`);
    assert.ok((await page.locator('[data-role=program]').textContent())?.includes('fork_later.py'));
  });
});
