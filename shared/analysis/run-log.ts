/**
 * The most recent runs of greenlets (switched in → switched out), in a ring
 * of fixed size: enough to say who held the loop while a greenlet waited for
 * its turn, without keeping one entry per switch of a long trace.
 */

const CAPACITY = 1 << 16;
/** A slow wake-up looks back at most this many runs. */
const MAX_SCAN = 8192;

export interface Holder {
  /** The greenlet that ran longest in the window, in total (0: none but the hub). */
  readonly g: number;
  readonly us: number;
  /** The longest single run in the window. */
  readonly longestUs: number;
  /** How many greenlets ran in the window. */
  readonly count: number;
}

export class RunLog {
  private readonly g = new Float64Array(CAPACITY);
  private readonly start = new Float64Array(CAPACITY);
  private readonly end = new Float64Array(CAPACITY);
  private count = 0;

  add(g: number, start: number, end: number): void {
    const i = this.count % CAPACITY;
    this.g[i] = g;
    this.start[i] = start;
    this.end[i] = end;
    this.count++;
  }

  /** Who ran in [from, to], hubs left out (the hub running callbacks is the loop itself). */
  longestIn(from: number, to: number, hubs: ReadonlySet<number>): Holder {
    const totals = new Map<number, number>();
    let longest = 0;
    const oldest = Math.max(0, this.count - Math.min(CAPACITY, MAX_SCAN));
    for (let n = this.count - 1; n >= oldest; n--) {
      const i = n % CAPACITY;
      const end = this.end[i]!;
      if (end <= from) break;
      const g = this.g[i]!;
      if (hubs.has(g)) continue;
      const overlap = Math.min(end, to) - Math.max(this.start[i]!, from);
      if (overlap <= 0) continue;
      totals.set(g, (totals.get(g) ?? 0) + overlap);
      if (overlap > longest) longest = overlap;
    }
    let best = 0;
    let bestUs = 0;
    for (const [g, us] of totals) {
      if (us > bestUs) {
        best = g;
        bestUs = us;
      }
    }
    return { g: best, us: bestUs, longestUs: longest, count: totals.size };
  }
}
