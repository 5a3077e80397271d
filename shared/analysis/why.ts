/**
 * "Why is this greenlet not running?": the chain of what it waits on, who
 * could wake it, and what each of those is doing (running, ready, blocked on
 * something else, ended, caught in a deadlock), down a few levels. Worded by
 * words.ts; the same answer for the board and the Call Stack's command.
 */

import type { GreenletView } from '../model/state';
import type { BlockReason, Frame } from '../trace/events';
import type { CheckContext } from './lints/lint';
import { satisfiableIn } from './waitgraph';
import { STATUS_WORDS, WHY_WORDS, lineText, waitPhrase, wakeVerb } from '../present/finding-words';

export type WhyVerdict = 'running' | 'runnable' | 'not-started' | 'ended' | 'wakes-itself' | 'can-go-on' | 'may-wake' | 'deadlock' | 'never' | 'unknown';

export interface WhyStep {
  /** 0: the greenlet asked about; 1: who could wake it; 2: who could wake those… */
  readonly depth: number;
  readonly g: number | null;
  readonly obj: number | null;
  readonly text: string;
  readonly site: Frame | null;
}

export interface WhyAnswer {
  readonly g: number;
  readonly verdict: WhyVerdict;
  /** One sentence: the state and, for a wait, whether it can end. */
  readonly headline: string;
  readonly steps: WhyStep[];
}

const MAX_DEPTH = 4;
const MAX_WAKERS = 4;

export function whyNotRunning(ctx: CheckContext, id: number): WhyAnswer {
  const g = ctx.greenlets.get(id);
  if (g === undefined) return { g: id, verdict: 'unknown', headline: `There is no greenlet g${id} at this event.`, steps: [] };
  const steps: WhyStep[] = [];
  const verdict = explain(ctx, g, 0, new Set([id]), steps);
  const line = verdictLine(verdict, steps);
  return { g: id, verdict, headline: line === null ? steps[0]!.text : `${steps[0]!.text} ${line}`, steps };
}

/** The chain below the headline: who could wake it and what those do, the verdict the headline says left out. */
export function chainSteps(answer: WhyAnswer): WhyStep[] {
  return answer.steps.slice(1).filter((s) => !answer.headline.includes(s.text));
}

function verdictLine(v: WhyVerdict, steps: readonly WhyStep[]): string | null {
  switch (v) {
    case 'wakes-itself': return WHY_WORDS.wakesItself;
    case 'can-go-on': return WHY_WORDS.canGoOn;
    case 'deadlock': return WHY_WORDS.deadlock;
    case 'may-wake': return WHY_WORDS.mayStillWake;
    case 'never': return steps.find((s) => s.depth === 1 && s.g === null)?.text ?? WHY_WORDS.deadlock;
    default: return null;
  }
}

function explain(ctx: CheckContext, g: GreenletView, depth: number, seen: Set<number>, steps: WhyStep[]): WhyVerdict {
  const push = (text: string, obj: number | null = null, site: Frame | null = null): void => {
    steps.push({ depth, g: g.id, obj, text, site });
  };
  switch (g.state) {
    case 'running':
      push(WHY_WORDS.running(g.label));
      return 'running';
    case 'runnable': {
      const cur = ctx.state.current;
      push(WHY_WORDS.runnable(g.label, cur !== null && cur !== g.id ? ctx.label(cur) : null));
      return 'runnable';
    }
    case 'not_started':
      push(WHY_WORDS.notStarted(g.label, g.spawnSite), null, g.spawnSite);
      return 'not-started';
    case 'dead_ok':
    case 'dead_exception':
      push(WHY_WORDS.ended(g.label, g.exceptionInfo !== null ? `${g.exceptionInfo.type}: ${g.exceptionInfo.message}` : g.flags.exception));
      return 'ended';
    case 'blocked':
      break;
  }
  const b = g.blockedOn;
  if (b === null) {
    push(WHY_WORDS.waits(g.label, 'waits', null, null));
    return 'unknown';
  }
  push(WHY_WORDS.waits(g.label, waitPhrase(b.reason, b.objLabel), b.site, b.timeout), b.obj || null, b.site);
  if (b.timeout !== null || b.reason === 'sleep' || b.reason === 'io') return 'wakes-itself';
  if (satisfiableIn(ctx.state)(g)) return 'can-go-on';
  if (ctx.graph.stuck.includes(g.id)) return 'deadlock';
  if (b.reason === 'join' && b.obj === 0) {
    steps.push({ depth: depth + 1, g: null, obj: null, text: WHY_WORDS.joinAll, site: null });
    return 'unknown';
  }
  const verb = b.reason === 'join' ? 'end' : wakeVerb(b.reason);
  const wakers = wakersOf(ctx, g, b.reason, b.obj);
  if (wakers === null) {
    steps.push({ depth: depth + 1, g: null, obj: b.obj, text: WHY_WORDS.unknownWaker(verb), site: null });
    return 'unknown';
  }
  const alive = wakers.filter((w) => w.state !== 'dead_ok' && w.state !== 'dead_exception');
  if (alive.length === 0) {
    steps.push({ depth: depth + 1, g: null, obj: b.obj, text: WHY_WORDS.never(verb), site: null });
    return 'never';
  }
  let best: WhyVerdict = 'never';
  for (const w of alive.slice(0, MAX_WAKERS)) {
    const v = describeWaker(ctx, w, verb, depth + 1, seen, steps);
    if (rank(v) < rank(best)) best = v;
  }
  return best === 'never' || best === 'deadlock' ? best : 'may-wake';
}

/** Who could end the wait, as far as the trace tells; null when it cannot tell (an Event anyone may set). */
function wakersOf(ctx: CheckContext, g: GreenletView, reason: BlockReason, obj: number): GreenletView[] | null {
  const look = (ids: Iterable<number>): GreenletView[] =>
    [...ids].filter((w) => w !== g.id).map((w) => ctx.greenlets.get(w)).filter((w): w is GreenletView => w !== undefined && w.gkind !== 'hub');
  switch (reason) {
    case 'join': return look([obj]);
    case 'lock_acquire': return look(ctx.state.locks.find((l) => l.id === obj)?.holders ?? []);
    case 'queue_get':
    case 'queue_put': {
      const ws = ctx.facts.queueWakers(obj, reason, ctx.state.seq);
      return ws.length > 0 ? look(ws) : null;
    }
    default: {
      // Who used it could set it; when nobody but the waiter did, anyone still alive might (as the never-woken lint counts).
      const touched = look(ctx.facts.objects.get(obj)?.touchedBy ?? []);
      if (touched.length > 0) return touched;
      const others = ctx.state.greenlets.filter((x) => x.id !== g.id && x.gkind !== 'hub' && x.state !== 'dead_ok' && x.state !== 'dead_exception');
      return others.length > 0 ? null : [];
    }
  }
}

function describeWaker(ctx: CheckContext, w: GreenletView, verb: string, depth: number, seen: Set<number>, steps: WhyStep[]): WhyVerdict {
  if (seen.has(w.id)) {
    steps.push({ depth, g: w.id, obj: null, text: WHY_WORDS.cycleBack(w.label, verb), site: null });
    return 'deadlock';
  }
  seen.add(w.id);
  const status = statusOf(ctx, w);
  steps.push({ depth, g: w.id, obj: null, text: WHY_WORDS.waker(w.label, verb, status), site: w.blockedOn?.site ?? null });
  if (w.state !== 'blocked' || depth >= MAX_DEPTH) return w.state === 'blocked' ? 'unknown' : 'may-wake';
  // Its own wait, one level down (its first line repeats what the status said, so it is left out).
  const sub: WhyStep[] = [];
  const v = explain(ctx, w, depth, seen, sub);
  steps.push(...sub.slice(1));
  return v === 'never' || v === 'deadlock' ? v : 'may-wake';
}

function statusOf(ctx: CheckContext, w: GreenletView): string {
  switch (w.state) {
    case 'running': return STATUS_WORDS.running;
    case 'runnable': return STATUS_WORDS.runnable;
    case 'not_started': return STATUS_WORDS.notStarted;
    case 'blocked': {
      if (ctx.graph.stuck.includes(w.id)) return STATUS_WORDS.inCycle;
      const b = w.blockedOn;
      return b === null ? STATUS_WORDS.blocked : `${waitPhrase(b.reason, b.objLabel)} at ${lineText(b.site)}`;
    }
    default: return STATUS_WORDS.dead;
  }
}

/** Lower is more hopeful. */
function rank(v: WhyVerdict): number {
  return ['running', 'runnable', 'not-started', 'wakes-itself', 'can-go-on', 'may-wake', 'unknown', 'deadlock', 'never', 'ended'].indexOf(v);
}
