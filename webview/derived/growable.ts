/**
 * Append-only numeric columns in typed arrays. The timeline keeps one set per
 * greenlet lane; with hundreds of thousands of events, plain arrays of
 * objects would cost tens of bytes of heap per entry and hurt GC pauses
 * while a trace is loading.
 */

export class GrowableF64 {
  private data: Float64Array;
  private size = 0;

  constructor(capacity = 8) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(v: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = v;
  }

  /** Drops the last value (a state change undone within the same event). */
  pop(): void {
    if (this.size > 0) this.size--;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  last(): number {
    return this.data[this.size - 1]!;
  }

  /** The index of the last value <= x (values must be non-decreasing), or -1. */
  lastAtMost(x: number): number {
    let lo = 0;
    let hi = this.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! <= x) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The index of the first value > x (values must be non-decreasing); length when none. */
  firstAbove(x: number): number {
    return this.lastAtMost(x) + 1;
  }
}
