/**
 * The compiled recorder core and the pure-Python recorder must write the same
 * trace (times aside). Helpers for same-output.test.ts, which records every
 * example and workload with the stack's recorder and again with the other one
 * (and, on the default stack, with the pure recorder's fast paths off).
 */
import * as path from 'node:path';
import { ROOT, load, recordAsync, timeless } from './support';
import type { Case } from './cases';

/** The environment that picks each recorder (GREENLET_LENS_SLOW: every switch through the slow methods). */
export const RECORDERS = {
  compiled: { GREENLET_LENS_PURE: '', GREENLET_LENS_SLOW: '' },
  pure: { GREENLET_LENS_PURE: '1', GREENLET_LENS_SLOW: '' },
  slow: { GREENLET_LENS_PURE: '', GREENLET_LENS_SLOW: '1' },
} as const;
export type RecorderName = keyof typeof RECORDERS;

/**
 * Programs whose events depend on timing even with one recorder
 * (busy_forever.py passes messages until its request rounds end; io_bound.py's
 * sockets become ready in the order the kernel wakes them, which a loaded
 * machine reorders; pool_1000.py's 89 sleepers wake on 5-25 ms timers while
 * 900 workers run, so which timer fires first is the clock's doing;
 * polling.py's two selects time out at the same moment, in either order):
 * they must record the same distinct events, the end record's switch count,
 * the values passed through queues and the `observed` records aside (whether
 * a greenlet still had links when it ended depends on when it ended: in
 * pool_1000.py, before or after the main greenlet's joinall(), which a
 * slower recorder moves; the other programs compare them exactly).
 */
const TIMING = new Set(['bench/workloads/busy_forever.py', 'bench/workloads/io_bound.py', 'bench/workloads/pool_1000.py', 'examples/polling.py']);

export interface Recorded {
  events: string[];
  /** The header's recorder: "compiled" or "pure-python: why". */
  recorder: string | null;
}

export async function traceEvents(trace: string): Promise<Recorded> {
  const { read } = await load(trace);
  return { events: timeless(read.events).map((e) => JSON.stringify(e)), recorder: read.header?.recorder ?? null };
}

export async function recordWith(c: Case, recorder: RecorderName): Promise<Recorded> {
  const rec = await recordAsync(c.file, c.args, { ...c.options, extra: { ...(c.options?.extra ?? {}), ...RECORDERS[recorder] } });
  return traceEvents(rec.trace);
}

/** The first event that differs, with its neighbours, for a failure message. */
function firstDifference(a: string[], b: string[]): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `at event ${i} of ${a.length}/${b.length}:\n  - ${a.slice(Math.max(0, i - 2), i + 2).join('\n  - ')}\n  + ${b.slice(Math.max(0, i - 2), i + 2).join('\n  + ')}`;
  }
  return 'no difference';
}

const distinct = (events: string[]): string[] =>
  [...new Set(events.filter((e) => !e.includes('"kind":"observed"')).map((e) => e.replace(/^\{"seq":\d+,/, '{').replace(/^(\{"kind":"end",.*)"switches":\d+/, '$1')
    .replace(/^(\{"kind":"(put|get)",.*"item":)".*"\}$/, '$1"…"}')))].sort();

/** null when a and b record the same, else what differs. */
export function difference(c: Case, a: string[], b: string[]): string | null {
  if (TIMING.has(path.relative(ROOT, c.file))) {
    const [x, y] = [distinct(a), distinct(b)];
    return x.join('\n') === y.join('\n') ? null : `distinct events ${firstDifference(x, y)}`;
  }
  return a.join('\n') === b.join('\n') ? null : firstDifference(a, b);
}

/**
 * Records c with `other` and compares with `first` (made by `firstBy`); a
 * timing-dependent order is recorded again with both, up to three tries.
 * null when they agree, else what differs.
 */
export async function compareRecorders(c: Case, first: Recorded, firstBy: RecorderName, other: RecorderName): Promise<string | null> {
  let reference = first.events;
  let why: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) reference = (await recordWith(c, firstBy)).events;
    const got = await recordWith(c, other);
    if (got.recorder === first.recorder) return `${other}: the same recorder was used (${got.recorder})`;
    why = difference(c, reference, got.events);
    if (why === null) return null;
  }
  return `${firstBy} vs ${other}: ${why}`;
}
