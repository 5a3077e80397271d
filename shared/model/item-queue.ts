/**
 * A queue's items in the working state, head first. A plain array's shift()
 * copies the whole array once it is large (V8 cannot trim arrays that live in
 * its large-object space), so draining a 100k-item backlog was quadratic.
 * Here taking from the head only moves an index; the dead prefix is dropped
 * when it outgrows the live part.
 */
export class ItemQueue {
  private constructor(private items: string[], private head: number) {}

  static empty(): ItemQueue {
    return new ItemQueue([], 0);
  }

  static of(items: readonly string[]): ItemQueue {
    return new ItemQueue(items.slice(), 0);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  first(): string | undefined {
    return this.length > 0 ? this.items[this.head] : undefined;
  }

  last(): string | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  push(item: string): void {
    this.items.push(item);
  }

  shift(): string | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  pop(): string | undefined {
    return this.length > 0 ? this.items.pop() : undefined;
  }

  /** Removes the first (or, with fromEnd, the last) item equal to `item`; false when there is none. */
  remove(item: string, fromEnd: boolean): boolean {
    const at = fromEnd ? this.items.lastIndexOf(item) : this.items.indexOf(item, this.head);
    if (at < this.head) return false;
    this.items.splice(at, 1);
    return true;
  }

  toArray(): string[] {
    return this.items.slice(this.head);
  }

  clone(): ItemQueue {
    return new ItemQueue(this.toArray(), 0);
  }
}
