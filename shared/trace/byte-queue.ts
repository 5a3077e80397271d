/**
 * A FIFO of byte pieces. The decoder needs contiguous runs (a header, a whole
 * chunk) that may span many pushes; joining only when a run is complete
 * keeps the work linear however finely the input is split.
 */
const EMPTY = new Uint8Array(0);

export class ByteQueue {
  private pieces: Uint8Array[] = [];
  /** Index of the first unread piece; an index, not shift(), to stay O(1). */
  private first = 0;
  /** Read position inside pieces[first]. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // Copied because callers commonly reuse their read buffer.
    this.pieces.push(bytes.slice());
    this.size += bytes.length;
  }

  /** The byte at index i of the unread data; i must be < length. */
  peek(i: number): number {
    let idx = this.head + i;
    for (let p = this.first; p < this.pieces.length; p++) {
      const piece = this.pieces[p]!;
      if (idx < piece.length) return piece[idx]!;
      idx -= piece.length;
    }
    throw new RangeError('ByteQueue.peek past end');
  }

  /** Removes and returns the next n bytes (n <= length) as one array. */
  take(n: number): Uint8Array {
    if (n > this.size) throw new RangeError('ByteQueue.take past end');
    const front = this.pieces[this.first];
    if (front !== undefined && front.length - this.head >= n) {
      const out = front.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[this.first]!;
      const count = Math.min(piece.length - this.head, n - filled);
      out.set(piece.subarray(this.head, this.head + count), filled);
      filled += count;
      this.advance(count);
    }
    return out;
  }

  clear(): void {
    this.pieces = [];
    this.first = 0;
    this.head = 0;
    this.size = 0;
  }

  private advance(n: number): void {
    this.head += n;
    this.size -= n;
    if (this.head === this.pieces[this.first]!.length) {
      this.pieces[this.first] = EMPTY;
      this.first++;
      this.head = 0;
      if (this.first > 1024 && this.first * 2 > this.pieces.length) {
        this.pieces = this.pieces.slice(this.first);
        this.first = 0;
      }
    }
  }
}
