/**
 * A first-in first-out list that takes from its head by moving an index. A
 * plain array's shift() copies the whole array once it is large (V8 cannot
 * trim arrays that live in its large-object space), so draining a 100k-item
 * queue was quadratic. The dead prefix is dropped when it outgrows the live
 * part. Holds a queue's items in the model's working state, and the adapter's
 * events waiting to be streamed.
 */
export class ItemQueue<T = string> {
  private constructor(private items: T[], private head: number) {}

  static empty<T = string>(): ItemQueue<T> {
    return new ItemQueue<T>([], 0);
  }

  static of<T>(items: readonly T[]): ItemQueue<T> {
    return new ItemQueue(items.slice(), 0);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  first(): T | undefined {
    return this.length > 0 ? this.items[this.head] : undefined;
  }

  last(): T | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head++];
    this.compact();
    return item;
  }

  pop(): T | undefined {
    return this.length > 0 ? this.items.pop() : undefined;
  }

  /** Takes up to `n` items from the head, in order. */
  takeFront(n: number): T[] {
    const end = Math.min(this.items.length, this.head + Math.max(0, n));
    const taken = this.items.slice(this.head, end);
    this.head = end;
    this.compact();
    return taken;
  }

  /** Forgets up to `n` items from the head; returns how many went. */
  dropFront(n: number): number {
    const gone = Math.min(this.length, Math.max(0, n));
    this.head += gone;
    this.compact();
    return gone;
  }

  /** Removes the first (or, with fromEnd, the last) item equal to `item`; false when there is none. */
  remove(item: T, fromEnd: boolean): boolean {
    const at = fromEnd ? this.items.lastIndexOf(item) : this.items.indexOf(item, this.head);
    if (at < this.head) return false;
    this.items.splice(at, 1);
    return true;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clone(): ItemQueue<T> {
    return new ItemQueue(this.toArray(), 0);
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
