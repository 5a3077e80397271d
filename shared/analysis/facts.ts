/**
 * What the findings need beyond the model's state at one event, gathered in
 * one pass as events arrive (the CLI reading a file, the adapter's live
 * stream, the board): who touched each object and when, who is set to see
 * each greenlet's end, how long greenlets ran without yielding and waited
 * for their turn, how often a wait's timeout fired, how big each queue got.
 * Each event costs a few map lookups; nothing here rescans the trace.
 */

import type { BlockEvent, BlockReason, Frame, GKind, ObserveHow, TraceEvent } from '../trace/events';
import { categoryOf } from '../model/categories';
import { DEFAULT_FINDINGS_CONFIG, type FindingsConfig } from './finding';
import { RunLog } from './run-log';

/** A wait: the `block` record's fields that matter here. */
export type BlockFact = Pick<BlockEvent, 'seq' | 't' | 'reason' | 'obj' | 'timeout' | 'site'>;

export interface ExceptionFact {
  readonly seq: number;
  readonly type: string;
  readonly message: string;
  /** The innermost line of the program's own code in its traceback, when there is one. */
  readonly site: Frame | null;
}

export class GreenletFacts {
  gkind: GKind = 'greenlet';
  spawnSeq = -1;
  spawnSite: Frame | null = null;
  /** The wait it is in now (null while not blocked). */
  block: BlockFact | null = null;
  /** Its latest wait, kept after it woke. */
  lastBlock: BlockFact | null = null;
  /** Time it was switched into (-1: not running), and that switch's seq. */
  runningSince = -1;
  runningSeq = -1;
  /** The line it resumed from when switched in (its previous wait), else null. */
  resumedAt: Frame | null = null;
  /** Time it became ready to run without running (-1: not waiting for its turn). */
  runnableSince = -1;
  exitSeq = -1;
  exitT = 0;
  killed = false;
  /** The repr of what it returned ('' for None or unknown). */
  value = '';
  error = '';
  exception: ExceptionFact | null = null;
  diedOfLoopExit = false;
  /** Someone looked at how it ended: a link, a get() that re-raised, or a join its waiter got past. */
  observed = false;
  /** A link_value callback only: it sees a value, never an exception. */
  valueLinked = false;
  /** The program still held it when it ended: it may read it later, unseen. */
  held = false;
  /** Greenlets that were waiting for its end when it ended, and the line they waited at. */
  readonly joiners = new Map<number, string>();
  /** Timeout waits of its that a throw ended, by site key (a kill that follows is taken back). */
  lastThrowSite: string | null = null;

  constructor(readonly id: number) {}

  get dead(): boolean {
    return this.exitSeq >= 0;
  }
}

export interface ObjectFacts {
  readonly id: number;
  readonly okind: string;
  readonly isQueue: boolean;
  readonly site: Frame | null;
  readonly capacity: number | null;
  readonly createdSeq: number;
  /** Greenlets that put, got, set, cleared, acquired, released it, waited on it or created it. */
  readonly touchedBy: Set<number>;
  /** Queues: who put into / got from it, with the seq they first did. */
  readonly putters: Map<number, number>;
  readonly getters: Map<number, number>;
  size: number;
  peak: number;
  /** When the size last reached growthMinItems from below (-1: it is below). */
  grewSeq: number;
  grewT: number;
}

/** A run of one greenlet without a switch, at least blockedLoopMs long. */
export interface LongRun {
  readonly g: number;
  readonly startSeq: number;
  readonly startT: number;
  /** Where it had last waited (it resumed from there), else where it was spawned. */
  readonly site: Frame | null;
  endSeq: number;
  endT: number;
  /** The line the live watchdog saw it at, when a debug session stopped it. */
  liveSite: Frame | null;
}

/** A greenlet that was ready to run but waited at least slowWakeupMs for its turn. */
export interface SlowWake {
  readonly g: number;
  readonly seq: number;
  readonly t: number;
  readonly waitedUs: number;
  readonly site: Frame | null;
  /** Who ran longest meanwhile (0: only the hub), for how long, and how many greenlets ran. */
  readonly holder: number;
  readonly holderUs: number;
  readonly holders: number;
}

export interface TimeoutSite {
  readonly site: Frame | null;
  readonly reason: BlockReason;
  readonly obj: number;
  readonly timeout: number;
  waits: number;
  fires: number;
  lastFireSeq: number;
  lastFireT: number;
  readonly greenlets: Set<number>;
}

/** How many ended greenlets keep their facts whatever they were (see TraceFacts.endedIds). */
const DEAD_KEPT = 10_000;

const LOOP_EXIT = /(^|\.)LoopExit$/;
/** A traceback that went through Greenlet.get(): the exception of the greenlet it got, raised again. */
const RERAISED = /greenlet\.py", line \d+, in [\w.]*(?:_raise_exception|Greenlet\.get)\b/;

export class TraceFacts {
  readonly greenlets = new Map<number, GreenletFacts>();
  readonly objects = new Map<number, ObjectFacts>();
  readonly hubs = new Set<number>();
  readonly longRuns = new Map<string, LongRun>();
  readonly slowWakes: SlowWake[] = [];
  readonly timeoutSites = new Map<string, TimeoutSite>();
  /** Greenlets in a join on one greenlet, by the greenlet they join. */
  private readonly joinWaiters = new Map<number, Set<number>>();
  /** Greenlets in joinall()/wait() (a join on no one greenlet). */
  private readonly joinAllWaiters = new Set<number>();
  /** Joins that count once their waiter gets past them: waiter → line it waits at → the greenlets it waited for there. */
  private readonly pendingJoins = new Map<number, Map<string, number[]>>();
  /** Dead greenlets with an exception nobody saw yet, by "type: message", for get()s that re-raise it. */
  private readonly unseenByError = new Map<string, number[]>();
  /** Ended gevent greenlets nobody has looked at yet: a later joinall() may be the one that does. */
  private readonly unseenDead = new Set<number>();
  /**
   * Ended greenlets, oldest first, whose facts go once DEAD_KEPT more have
   * ended, unless a finding may still come of them (an exception or a value
   * nobody has looked at): a service spawning a greenlet per request must not
   * grow a live session's findings without end.
   */
  private readonly endedIds: number[] = [];
  private endedHead = 0;
  private readonly runs = new RunLog();
  /** When the hub was first seen (-1: not yet): runs before it block no loop, as the watchdog counts. */
  private hubSince = -1;
  current = 0;
  seq = -1;
  t = 0;
  endSeq = -1;
  readonly config: FindingsConfig;

  constructor(config: Partial<FindingsConfig> = {}) {
    this.config = { ...DEFAULT_FINDINGS_CONFIG, ...config };
  }

  get ended(): boolean {
    return this.endSeq >= 0;
  }

  greenlet(id: number): GreenletFacts {
    let g = this.greenlets.get(id);
    if (g === undefined) {
      g = new GreenletFacts(id);
      this.greenlets.set(id, g);
    }
    return g;
  }

  apply(ev: TraceEvent): void {
    this.seq = ev.seq;
    this.t = ev.t;
    switch (ev.kind) {
      case 'spawn': {
        const g = this.greenlet(ev.g);
        g.gkind = ev.gkind;
        g.spawnSeq = ev.seq;
        g.spawnSite = ev.site;
        if (ev.gkind === 'hub') {
          this.hubs.add(ev.g);
          if (this.hubSince < 0) this.hubSince = ev.t;
        }
        // The main greenlet is already running when the tracer first sees it.
        if (ev.gkind === 'main' && this.current === 0) this.switchedIn(g, ev.seq, ev.t);
        return;
      }
      case 'switch':
        return this.applySwitch(ev.from, ev.to, ev.throw, ev.seq, ev.t);
      case 'block':
        return this.applyBlock(ev.g, ev);
      case 'ready': {
        const g = this.greenlet(ev.g);
        if (g.runningSince < 0 && g.runnableSince < 0) g.runnableSince = ev.t;
        return;
      }
      case 'exception':
        return this.applyException(ev.g, ev.seq, ev.type, ev.message, ev.traceback);
      case 'exit':
        return this.applyExit(ev.g, ev.seq, ev.t, ev.flags.killed, ev.value, ev.error);
      case 'observed':
        return this.applyObserved(ev.g, ev.by, ev.how, ev.seq);
      case 'object': {
        if (this.objects.has(ev.obj)) return;
        const isQueue = categoryOf(ev.okind) === 'queue';
        this.objects.set(ev.obj, {
          id: ev.obj, okind: ev.okind, isQueue, site: ev.site, capacity: ev.capacity, createdSeq: ev.seq,
          touchedBy: new Set(ev.by !== 0 ? [ev.by] : []), putters: new Map(), getters: new Map(), size: 0, peak: 0, grewSeq: -1, grewT: 0,
        });
        return;
      }
      case 'put':
      case 'get': {
        const o = this.objects.get(ev.obj);
        if (o === undefined) return;
        const actor = this.current;
        if (actor !== 0 && !this.hubs.has(actor)) {
          o.touchedBy.add(actor);
          const table = ev.kind === 'put' ? o.putters : o.getters;
          if (!table.has(actor)) table.set(actor, ev.seq);
        }
        this.resize(o, ev.kind === 'put' ? o.size + 1 : Math.max(0, o.size - 1), ev.seq, ev.t);
        return;
      }
      case 'qsync': {
        const o = this.objects.get(ev.obj);
        if (o !== undefined) this.resize(o, ev.items.length, ev.seq, ev.t);
        return;
      }
      case 'set':
      case 'setexc':
      case 'clear':
        this.touch(ev.obj, this.current);
        return;
      case 'acquire':
      case 'release':
        this.touch(ev.obj, ev.g);
        return;
      case 'end':
        this.endSeq = ev.seq;
        this.resolveAtEnd();
        // Whoever still runs at the end ran until then.
        if (this.current !== 0) this.leave(this.greenlet(this.current), ev.seq, ev.t);
        return;
      default:
        return;
    }
  }

  /** Who could end a wait of `reason` on queue `obj`, as events up to `seq` tell (the wait-for graph's wakers). */
  queueWakers(obj: number, reason: BlockReason, seq: number): number[] {
    const o = this.objects.get(obj);
    const table = o === undefined ? undefined : reason === 'queue_get' ? o.putters : reason === 'queue_put' ? o.getters : undefined;
    if (table === undefined) return [];
    const out: number[] = [];
    for (const [g, first] of table) if (first <= seq) out.push(g);
    return out.sort((a, b) => a - b);
  }

  /** The live watchdog stopped greenlet `g` running without a switch at `site` (a debug session's blocked-loop stop). */
  noteLiveBlockedLoop(g: number, site: Frame | null): void {
    const facts = this.greenlet(g);
    if (facts.runningSince < 0) return;
    const run = this.longRun(g, facts);
    run.liveSite = site;
    run.endSeq = Math.max(run.endSeq, this.seq);
    run.endT = Math.max(run.endT, this.t);
  }

  private touch(obj: number, g: number): void {
    if (g !== 0 && !this.hubs.has(g)) this.objects.get(obj)?.touchedBy.add(g);
  }

  private resize(o: ObjectFacts, size: number, seq: number, t: number): void {
    const min = this.config.growthMinItems;
    if (size >= min && o.size < min) {
      o.grewSeq = seq;
      o.grewT = t;
    } else if (size < min) {
      o.grewSeq = -1;
    }
    o.size = size;
    if (size > o.peak) o.peak = size;
  }

  private applySwitch(from: number, to: number, thrown: boolean, seq: number, t: number): void {
    if (from !== 0) {
      const f = this.greenlet(from);
      this.leave(f, seq, t);
      // Switched out without a wait: it is ready to run again.
      if (f.block === null && !f.dead) f.runnableSince = t;
    }
    if (this.current !== 0 && this.current !== from && this.current !== to) this.leave(this.greenlet(this.current), seq, t);
    this.current = to;
    if (to === 0) return;
    const g = this.greenlet(to);
    const block = g.block;
    if (block !== null) {
      if (thrown && block.timeout !== null && block.reason !== 'sleep') {
        const key = siteKey(block.site);
        const ts = this.timeoutSites.get(key);
        if (ts !== undefined) {
          ts.fires++;
          ts.lastFireSeq = seq;
          ts.lastFireT = t;
          g.lastThrowSite = key;
        }
      }
      this.endWait(g);
    }
    this.noteLateness(g, block, seq, t);
    this.switchedIn(g, seq, t);
  }

  private switchedIn(g: GreenletFacts, seq: number, t: number): void {
    g.runningSince = t;
    g.runningSeq = seq;
    g.resumedAt = g.lastBlock?.site ?? null;
    g.runnableSince = -1;
  }

  /** A greenlet stops running: a run long enough blocks the loop (once the hub exists, as the watchdog counts). */
  private leave(g: GreenletFacts, seq: number, t: number): void {
    if (g.runningSince < 0) return;
    const ran = t - g.runningSince;
    if (!this.hubs.has(g.id)) {
      this.runs.add(g.id, g.runningSince, t);
      if (this.hubSince >= 0 && g.runningSince >= this.hubSince && ran >= this.config.blockedLoopMs * 1000) {
        const run = this.longRun(g.id, g);
        run.endSeq = seq;
        run.endT = t;
      }
    }
    g.runningSince = -1;
  }

  private longRun(id: number, g: GreenletFacts): LongRun {
    const key = `${id}:${g.runningSeq}`;
    let run = this.longRuns.get(key);
    if (run === undefined) {
      run = {
        g: id, startSeq: g.runningSeq, startT: g.runningSince, site: g.resumedAt ?? g.spawnSite,
        endSeq: this.seq, endT: this.t, liveSite: null,
      };
      this.longRuns.set(key, run);
    }
    return run;
  }

  /**
   * How long `g` waited for its turn: from when it became ready (a `ready`
   * record before the switch, a spawn, a yield) or when its timer was due
   * (the hub writes the `ready` of a timer's wake only as it switches).
   */
  private noteLateness(g: GreenletFacts, block: BlockFact | null, seq: number, t: number): void {
    // sleep(0) asks to go after everyone ready: waiting for them is what it asked for.
    if (block !== null && block.reason === 'sleep' && block.timeout === 0) return;
    let since = g.runnableSince;
    if (block !== null && block.timeout !== null) {
      const due = block.t + block.timeout * 1e6;
      if (since < 0 || due < since) since = due;
    }
    if (since < 0 || this.hubs.has(g.id)) return;
    const waited = t - since;
    const limit = this.config.slowWakeupMs * 1000;
    if (waited < limit) return;
    const holder = this.runs.longestIn(since, t, this.hubs);
    // One run as long as the blocked-loop threshold explains the wait: that run is the finding.
    if (holder.longestUs >= this.config.blockedLoopMs * 1000) return;
    this.slowWakes.push({
      g: g.id, seq, t, waitedUs: waited, site: block?.site ?? g.lastBlock?.site ?? g.spawnSite, holder: holder.g, holderUs: holder.us, holders: holder.count,
    });
  }

  private applyBlock(id: number, b: BlockFact): void {
    const g = this.greenlet(id);
    if (g.dead) return;
    // A joinall()/wait() begun after greenlets ended may be the one that looks at them; the trace
    // cannot say which it waits for, so it counts for each (once the waiter gets past it). Waking
    // inside one joinall() and waiting again at the same line is the same call.
    if (b.reason === 'join' && b.obj === 0 && this.unseenDead.size > 0) {
      const prev = g.lastBlock;
      if (prev === null || prev.reason !== 'join' || prev.obj !== 0 || siteKey(prev.site) !== siteKey(b.site)) {
        for (const x of this.unseenDead) this.addJoiner(this.greenlet(x), id, b.site);
      }
    }
    g.block = b;
    g.lastBlock = b;
    g.lastThrowSite = null;
    g.runnableSince = -1;
    if (b.reason === 'join') {
      if (b.obj !== 0) setOf(this.joinWaiters, b.obj).add(id);
      else this.joinAllWaiters.add(id);
    } else if (b.obj !== 0) {
      this.touch(b.obj, id);
    }
    if (b.timeout !== null && b.reason !== 'sleep') {
      const key = siteKey(b.site);
      let ts = this.timeoutSites.get(key);
      if (ts === undefined) {
        ts = { site: b.site, reason: b.reason, obj: b.obj, timeout: b.timeout, waits: 0, fires: 0, lastFireSeq: -1, lastFireT: 0, greenlets: new Set() };
        this.timeoutSites.set(key, ts);
      }
      ts.waits++;
      ts.greenlets.add(id);
    }
    // A join it was in counts once it waits somewhere else.
    this.gotPast(id, b);
  }

  /** The joins `j` was in count as seen, but the one it is still waiting in (`now`, if a join). */
  private gotPast(j: number, now: BlockFact | null): void {
    const pending = this.pendingJoins.get(j);
    if (pending === undefined) return;
    const still = now !== null && now.reason === 'join' ? siteKey(now.site) : null;
    for (const [site, xs] of pending) {
      if (site === still) continue;
      for (const x of xs) this.markObserved(x);
      pending.delete(site);
    }
    if (pending.size === 0) this.pendingJoins.delete(j);
  }

  private endWait(g: GreenletFacts): void {
    const b = g.block;
    if (b === null) return;
    g.block = null;
    if (b.reason === 'join') {
      if (b.obj !== 0) this.joinWaiters.get(b.obj)?.delete(g.id);
      else this.joinAllWaiters.delete(g.id);
    }
  }

  private applyException(id: number, seq: number, type: string, message: string, traceback: string): void {
    const g = this.greenlet(id);
    if (g.exception === null) g.exception = { seq, type, message, site: innermostUserLine(traceback) };
    if (LOOP_EXIT.test(type)) {
      g.diedOfLoopExit = true;
      return;
    }
    // get() on a greenlet that failed re-raises its exception in the caller: it was seen.
    const key = `${type}: ${message}`;
    const waiting = RERAISED.test(traceback) ? this.unseenByError.get(key) : undefined;
    if (waiting !== undefined) {
      for (const x of waiting) if (x !== id) this.markObserved(x);
      this.unseenByError.delete(key);
    }
    this.resolvePending(id);
  }

  private applyExit(id: number, seq: number, t: number, killed: boolean, value: string, error: string): void {
    const g = this.greenlet(id);
    g.exitSeq = seq;
    g.exitT = t;
    g.killed = killed;
    g.value = value;
    g.error = error;
    if (g.lastThrowSite !== null && killed) {
      const ts = this.timeoutSites.get(g.lastThrowSite);
      if (ts !== undefined) ts.fires--;
    }
    this.endWait(g);
    this.leave(g, seq, t);
    g.runnableSince = -1;
    if (!g.diedOfLoopExit) this.resolvePending(id);
    // Those in a join() on it wake up now.
    const joiners = this.joinWaiters.get(id);
    if (joiners !== undefined) {
      for (const j of joiners) {
        this.addJoiner(g, j);
        const jf = this.greenlet(j);
        if (jf.runnableSince < 0) jf.runnableSince = t;
      }
    }
    if ((g.exception !== null || error !== '') && !killed) {
      const e = g.exception;
      if (e !== null) pushTo(this.unseenByError, `${e.type}: ${e.message}`, id);
    }
    if (g.gkind === 'gevent' && !killed && !g.observed) this.unseenDead.add(id);
    this.endedIds.push(id);
    if (this.endedIds.length - this.endedHead > DEAD_KEPT) this.forgetOldestEnded();
  }

  private forgetOldestEnded(): void {
    const id = this.endedIds[this.endedHead]!;
    this.endedHead++;
    if (this.endedHead > 4096 && this.endedHead * 2 > this.endedIds.length) {
      this.endedIds.splice(0, this.endedHead);
      this.endedHead = 0;
    }
    const f = this.greenlets.get(id);
    if (f === undefined || !f.dead) return;
    const mayFind = f.gkind === 'gevent' && !f.killed && !f.diedOfLoopExit && !f.observed
      // A value a joiner waited for is read when the joiner gets past its join (or that joiner is the finding).
      && (f.exception !== null || f.error !== '' || (f.value !== '' && !f.valueLinked && !f.held && f.joiners.size === 0));
    if (mayFind) return;
    this.greenlets.delete(id);
    this.joinWaiters.delete(id);
    this.unseenDead.delete(id);
  }

  private applyObserved(id: number, by: number, how: ObserveHow, seq: number): void {
    void seq;
    const g = this.greenlet(id);
    switch (how) {
      case 'join':
        if (by !== 0) this.addJoiner(g, by);
        else this.markObserved(id);
        return;
      case 'link':
        this.markObserved(id);
        return;
      case 'link_value':
        g.valueLinked = true;
        return;
      case 'held':
        g.held = true;
        return;
      case 'unknown': {
        // gevent's compiled build says only that something is linked: those
        // in a join on it, else those in joinall()/wait(), else a callback.
        const direct = this.joinWaiters.get(id);
        const waiters = direct !== undefined && direct.size > 0 ? direct : this.joinAllWaiters;
        if (waiters.size === 0) {
          this.markObserved(id);
          return;
        }
        for (const j of waiters) this.addJoiner(g, j);
        return;
      }
    }
  }

  /** `j` waited for `g`'s end (at `at`, else its latest wait): that counts once `j` gets past the wait. */
  private addJoiner(g: GreenletFacts, j: number, at?: Frame | null): void {
    if (g.joiners.has(j) || j === g.id) return;
    const site = siteKey(at !== undefined ? at : this.greenlet(j).lastBlock?.site ?? null);
    g.joiners.set(j, site);
    let bySite = this.pendingJoins.get(j);
    if (bySite === undefined) {
      bySite = new Map();
      this.pendingJoins.set(j, bySite);
    }
    pushTo(bySite, site, g.id);
  }

  /**
   * The program (or a test, in the pytest plugin's traces) ended: a greenlet
   * that is no longer in the join it was in got past it (main returned from
   * it); one still waiting there, or killed there by LoopExit, did not.
   */
  private resolveAtEnd(): void {
    for (const j of [...this.pendingJoins.keys()]) {
      const jf = this.greenlet(j);
      if (!jf.diedOfLoopExit) this.gotPast(j, jf.block);
    }
  }

  /** `j` ended (not of LoopExit) or raised: it got past every join it was in. */
  private resolvePending(j: number): void {
    this.gotPast(j, null);
  }

  private markObserved(x: number): void {
    // Not made again if its facts were let go (an ended greenlet no finding could come of).
    const f = this.greenlets.get(x);
    if (f !== undefined) f.observed = true;
    this.unseenDead.delete(x);
  }
}

export function siteKey(site: Frame | null): string {
  return site === null ? '?' : `${site.file}:${site.line}`;
}

function setOf<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  let s = m.get(k);
  if (s === undefined) {
    s = new Set();
    m.set(k, s);
  }
  return s;
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

const TRACEBACK_LINE = /File "([^"]+)", line (\d+), in (.+)/g;
/** Frames of gevent, greenlet, Python itself or installed packages: not the program's own lines. */
const LIBRARY = /(^|[\\/])(src[\\/]gevent|gevent|greenlet|greenlet_lens)[\\/]|[\\/](site|dist)-packages[\\/]|[\\/]lib[\\/]python\d|^<frozen /;

/** The innermost traceback line in the program's own code (else the innermost line at all). */
export function innermostUserLine(traceback: string): Frame | null {
  let last: Frame | null = null;
  let user: Frame | null = null;
  for (const m of traceback.matchAll(TRACEBACK_LINE)) {
    const frame = { file: m[1]!, line: Number(m[2]), function: m[3]!.trim() };
    last = frame;
    if (!LIBRARY.test(frame.file)) user = frame;
  }
  return user ?? last;
}
