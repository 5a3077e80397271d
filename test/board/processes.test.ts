// A recording that followed forked children, on the board: `greenlet-lens
// view run.glt` lists every process (the program, then its children by pid,
// each "forked from" its parent) and choosing one shows that process's board.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readTraceFile } from '../../shared/trace/read-file';
import { board, cleanup, launch, PROGRAMS, READY, record, serve, type ViewServer } from './support';

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
  return [`pid ${parent!.pid}`, ...children.map((h) => `pid ${h.pid}, forked from ${h.parentPid}`)];
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
    assert.deepEqual(await options(page), labels);
    assert.equal(await chosen(page), labels[0]);
    // The program's queue: what it put, never drained.
    await page.waitForFunction(() => document.querySelector('[data-view=queues] [data-queue]') !== null);
    assert.deepEqual(await queueItems(page), ["'before-fork'", "'in-parent'"]);

    await Promise.all([page.waitForURL(/[?&]process=1\b/), page.selectOption('[data-role=process-select]', { label: child })]);
    await page.waitForSelector(READY, { state: 'attached', timeout: 15_000 });
    assert.equal(await chosen(page), child);
    assert.deepEqual(await options(page), labels);
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
    assert.deepEqual(await options(page), labels);
  });
  const single = await serve(path.join(`${trace}.d`, fs.readdirSync(`${trace}.d`)[0]!));
  await board(browser!, 'processes-single', single.url, async (page) => {
    assert.equal(await page.locator('[data-role=processes]').count(), 0);
  });
});
