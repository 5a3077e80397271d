// Malformed traces: truncated in the middle of a chunk, a byte flipped in a
// chunk's payload, a newer major format version, random bytes, and a trace
// that is gone (404). Each shows a clear [data-role=trace-problem] message,
// keeps whatever events were read, and raises no page error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { crc32, TraceDecoder } from '../../shared/trace/index';
import { board, cleanup, EXAMPLES, launch, plainNumbers, record, serve, status, type Watched } from './support';

const PREAMBLE = 16;
const CHUNK_HEADER = 9;

let browser: Browser | undefined;
let good: Buffer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-malformed-'));
before(async () => {
  browser = await launch();
  good = splitChunks(fs.readFileSync(record(`${EXAMPLES}/queue_workers.py`)));
});
after(async () => {
  await cleanup(browser);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** [start, payload length] of every chunk (after the header, and its CRC when the format has one). */
function chunks(trace: Buffer): [number, number][] {
  const header = PREAMBLE + trace.readUInt32LE(12);
  for (const extra of [4, 0]) {
    const out: [number, number][] = [];
    let at = header + extra;
    while (at + CHUNK_HEADER <= trace.length && trace[at] === 0xc5) {
      const length = trace.readUInt32LE(at + 1);
      out.push([at, length]);
      at += CHUNK_HEADER + length;
    }
    if (at === trace.length && out.length > 0) return out;
  }
  throw new Error('cannot find the chunks of the trace');
}

function decode(trace: Buffer): { status: string; events: string } {
  const d = new TraceDecoder();
  const events = d.push(trace);
  const result = d.finish();
  return { status: result.status, events: JSON.stringify([...events, ...result.events]) };
}

function chunk(payload: Buffer): Buffer {
  const head = Buffer.alloc(CHUNK_HEADER);
  head[0] = 0xc5;
  head.writeUInt32LE(payload.length, 1);
  head.writeUInt32LE(crc32(payload) >>> 0, 5);
  return Buffer.concat([head, payload]);
}

/**
 * A short run writes one chunk (the runtime flushes every 100 ms): the same
 * trace with its biggest chunk split in two at a record boundary (found by
 * decoding: the split trace must decode to the very same events), so a
 * broken later chunk leaves the earlier chunks' events readable.
 */
function splitChunks(trace: Buffer): Buffer {
  const all = chunks(trace);
  if (all.length >= 3) return trace;
  const want = decode(trace);
  const [start, length] = all.reduce((a, b) => (b[1] > a[1] ? b : a));
  const payload = trace.subarray(start + CHUNK_HEADER, start + CHUNK_HEADER + length);
  for (let k = Math.floor(length / 3); k < length; k++) {
    const candidate = Buffer.concat([trace.subarray(0, start), chunk(payload.subarray(0, k)), chunk(payload.subarray(k)),
      trace.subarray(start + CHUNK_HEADER + length)]);
    const got = decode(candidate);
    if (got.status === want.status && got.events === want.events) return candidate;
  }
  throw new Error('no record boundary to split the chunk at');
}

/** A chunk in the middle of the trace, with enough chunks before it to hold events. */
function middleChunk(): [number, number] {
  const all = chunks(good);
  assert.ok(all.length >= 2, `several chunks (${all.length})`);
  return all[Math.max(1, Math.floor(all.length / 2))]!;
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Opens `file` in the board, checks the problem message and that nothing went wrong in the page. */
async function open(name: string, file: string, check: (page: Page, problem: string, watched: Watched) => Promise<void>): Promise<void> {
  const server = await serve(file);
  try {
    await board(browser!, name, server.url, async (page, watched) => {
      const banner = page.locator('[data-role=trace-problem]');
      await banner.waitFor({ state: 'visible' });
      const problem = ((await banner.textContent()) ?? '').trim();
      await check(page, problem, watched);
      // The page is not blank: the toolbar and the panes are there.
      assert.ok(await page.locator('[data-role=status]').isVisible());
      assert.ok(await page.locator('[data-view=greenlets]').count() > 0);
      await page.waitForTimeout(100);
      assert.deepEqual(watched.errors(), [], 'no page error and no console error');
    });
  } finally {
    server.stop();
  }
}

async function shownEvents(page: Page): Promise<[number, number]> {
  const m = /event (\d+) of (\d+)/.exec(plainNumbers(await status(page)));
  assert.ok(m !== null, `events are shown: ${await status(page)}`);
  return [Number(m[1]), Number(m[2])];
}

/** How the problem counts the events shown (how many there are depends on where the recorder's flushes fell). */
const beforeShown = (m: number): string => (m === 1 ? 'the 1 event before that point is shown' : `the ${m} events before that point are shown`);

test('a trace truncated inside a chunk: says so and shows the events before', async () => {
  const [start, length] = middleChunk();
  const file = write('truncated.glt', good.subarray(0, start + CHUNK_HEADER + Math.floor(length / 2)));
  await open('malformed-truncated', file, async (page, problem) => {
    const [n, m] = await shownEvents(page);
    assert.ok(m > 0 && n === m, `status: event ${n} of ${m}`);
    assert.match(problem, new RegExp(`^This trace is truncated: it ends inside the chunk at byte ${start} .*; ${beforeShown(m)}\\.$`));
  });
});

test('a byte flipped inside a chunk payload: corrupt, with the events before it', async () => {
  const [start, length] = middleChunk();
  const bytes = Buffer.from(good);
  bytes[start + CHUNK_HEADER + Math.floor(length / 2)]! ^= 0x5a;
  await open('malformed-corrupt', write('corrupt.glt', bytes), async (page, problem) => {
    const [, m] = await shownEvents(page);
    assert.ok(m > 0);
    assert.match(problem, new RegExp(`^This trace is corrupt: the chunk at byte ${start} is corrupt \\(CRC .*\\); ${beforeShown(m)}\\.$`));
  });
});

test('a newer major format version: names the version', async () => {
  const bytes = Buffer.from(good);
  bytes.writeUInt16LE(2, 8);
  bytes.writeUInt16LE(0, 10);
  await open('malformed-version', write('version2.glt', bytes), async (_page, problem) => {
    assert.equal(problem, 'This trace was written by a newer Greenlet Lens (format version 2.0); this one reads format version 1.x.');
  });
});

test('random bytes: not a Greenlet Lens trace', async () => {
  let seed = 12345;
  const bytes = Buffer.alloc(5000, 0).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  bytes[0] = 0x42; // never the signature's first byte (0x89)
  await open('malformed-random', write('random.glt', Buffer.from(bytes)), async (page, problem) => {
    assert.match(problem, /^This is not a Greenlet Lens trace/);
    assert.match(await status(page), /no events/);
  });
});

test('a trace that cannot be fetched (404): says so', async () => {
  const file = write('gone.glt', good);
  const server = await serve(file);
  fs.rmSync(file);
  try {
    await board(browser!, 'malformed-404', server.url, async (page, watched) => {
      const banner = page.locator('[data-role=trace-problem]');
      await banner.waitFor({ state: 'visible' });
      assert.match(((await banner.textContent()) ?? '').trim(), /^The trace could not be loaded: HTTP 404 .*not found/);
      await page.waitForTimeout(100);
      // The browser itself logs the failed request; nothing else may fail.
      assert.deepEqual(watched.errors().filter((l) => !/Failed to load resource.*404/.test(l)), []);
    });
  } finally {
    server.stop();
  }
});
