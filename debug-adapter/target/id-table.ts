/**
 * Ids the adapter hands to the client for one stop (frames of greenlets that
 * never ran, Greenlet-scope references). They only ever increase within a
 * session, like the runtime's own, so a request that arrives late from an
 * earlier stop names nothing and is told so, instead of silently getting
 * whatever the same number would mean now.
 */
import { AdapterError, AdapterErrorId } from '../errors';

export class IdTable<T> {
  private readonly items = new Map<number, T>();
  private next: number;

  constructor(
    private readonly base: number,
    /** What an id names, for error messages: "frame", "variables reference". */
    private readonly what: string,
  ) {
    this.next = base;
  }

  alloc(item: T): number {
    const id = this.next++;
    this.items.set(id, item);
    return id;
  }

  get(id: number): T | undefined {
    return this.items.get(id);
  }

  /** The program ran: every id given so far names nothing now, and none is given again. */
  reset(): void {
    this.items.clear();
  }

  /** The item, or a StaleId / UnknownId error saying why there is none. */
  lookup(id: number): T {
    const item = this.items.get(id);
    if (item !== undefined) return item;
    throw id >= this.base && id < this.next ? staleId(this.what, id) : unknownId(this.what, id);
  }
}

export function staleId(what: string, id: number): AdapterError {
  return new AdapterError(
    AdapterErrorId.StaleId,
    `${what} ${id} is stale: it belongs to an earlier stop and the program has run since (ask for the stack again)`,
  );
}

export function unknownId(what: string, id: number): AdapterError {
  return new AdapterError(AdapterErrorId.UnknownId, `${what} ${id} is unknown to this session`);
}
