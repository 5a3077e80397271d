/**
 * A waiter nobody can wake: a greenlet waits (no timeout) on a queue, event,
 * result or lock, and nothing that could end the wait is alive. From the
 * trace: every greenlet that ever touched the object (or, when none did but
 * the waiter, every other greenlet) has ended. In a live session the
 * runtime's reachability proof decides instead, either way.
 */

import type { GreenletView } from '../../model/state';
import type { BlockReason } from '../../trace/events';
import type { Finding } from '../finding';
import { satisfiableIn } from '../waitgraph';
import { MESSAGES, waitPhrase, wakeVerb } from '../../present/finding-words';
import { finding, isDead, type CheckContext, type Lint } from './lint';

const OBJECT_WAITS: ReadonlySet<BlockReason> = new Set(['queue_get', 'queue_put', 'event_wait', 'result_get', 'lock_acquire']);

export const neverWokenLint: Lint = {
  kinds: ['never-woken'],
  check(ctx: CheckContext): Finding[] {
    const out: Finding[] = [];
    const satisfiable = satisfiableIn(ctx.state);
    for (const g of ctx.state.greenlets) {
      const b = g.blockedOn;
      if (g.state !== 'blocked' || b === null || !OBJECT_WAITS.has(b.reason) || b.obj === 0 || b.timeout !== null || satisfiable(g)) continue;
      const facts = ctx.facts.greenlets.get(g.id);
      const since = facts?.lastBlock ?? null;
      const wait = waitPhrase(b.reason, b.objLabel);
      const proof = ctx.proofs.get(`${g.id}:${b.obj}`);
      if (proof !== undefined) {
        // The runtime saw what the trace cannot (who holds a reference to it, a pending Timeout).
        if (!proof.reachable) {
          out.push(finding('never-woken', 'error', `${g.id}:${b.obj}`, {
            message: MESSAGES.neverWoken(g.label, wait, b.site, wakeVerb(b.reason), [], 'runtime'),
            greenlets: [g.id], objects: [b.obj], sites: [b.site], seq: ctx.state.seq, t: ctx.state.t, proof: 'runtime',
          }));
        }
        continue;
      }
      const touched = [...(ctx.facts.objects.get(b.obj)?.touchedBy ?? [])].filter((c) => c !== g.id && !ctx.facts.hubs.has(c));
      const pool = touched.length > 0
        ? touched.map((id) => ctx.greenlets.get(id)).filter((x): x is GreenletView => x !== undefined)
        : ctx.state.greenlets.filter((x) => x.id !== g.id && x.gkind !== 'hub');
      if (pool.length === 0 || pool.some((c) => !gone(c, ctx))) continue;
      // It became true when the last of them ended (or when it began to wait, if later).
      let seq = since?.seq ?? ctx.state.seq;
      let t = since?.t ?? ctx.state.t;
      for (const c of pool) {
        const cf = ctx.facts.greenlets.get(c.id);
        if (cf !== undefined && cf.exitSeq > seq) {
          seq = cf.exitSeq;
          t = cf.exitT;
        }
      }
      out.push(finding('never-woken', 'error', `${g.id}:${b.obj}`, {
        message: MESSAGES.neverWoken(g.label, wait, b.site, wakeVerb(b.reason), pool.map((c) => c.label), 'trace'),
        greenlets: [g.id, ...pool.map((c) => c.id)], objects: [b.obj], sites: [b.site], seq, t,
      }));
    }
    return out;
  },
};

/**
 * Ended for good. The main greenlet ending normally is the program ending:
 * what still waits then is a leaked greenlet, not a waiter nobody can wake.
 */
function gone(g: GreenletView, ctx: CheckContext): boolean {
  if (!isDead(g)) return false;
  if (g.gkind !== 'main') return true;
  const f = ctx.facts.greenlets.get(g.id);
  return f !== undefined && (f.diedOfLoopExit || f.exception !== null);
}
