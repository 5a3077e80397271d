/**
 * An exception nobody observed: a gevent greenlet died of an exception (not
 * a kill, not LoopExit) and nothing looked at it: no link, no get() that
 * raised it again, no join() whose waiter got past it (facts.ts decides
 * what was seen), and the program did not keep it to look later (unless it
 * kept it only for a join it never got past). Plain greenlets are left out:
 * their exception goes on in their parent.
 */

import type { Finding } from '../finding';
import { MESSAGES } from '../../present/finding-words';
import { finding, type CheckContext, type Lint } from './lint';

export const unobservedExceptionLint: Lint = {
  kinds: ['unobserved-exception'],
  check(ctx: CheckContext): Finding[] {
    const out: Finding[] = [];
    for (const [id, f] of ctx.facts.greenlets) {
      if (f.gkind !== 'gevent' || !f.dead || f.killed || f.diedOfLoopExit || f.observed) continue;
      // Still held with nobody stuck in a join on it: a get() or `.exception` may come later, unseen.
      if (f.held && f.joiners.size === 0) continue;
      const e = f.exception;
      if (e === null && f.error === '') continue;
      const error = e !== null ? (e.message !== '' ? `${e.type}: ${e.message}` : e.type) : f.error;
      const waiters = [...f.joiners.keys()].map((j) => ctx.label(j));
      out.push(finding('unobserved-exception', 'error', `${id}`, {
        message: MESSAGES.unobservedException(ctx.label(id), error, e?.site ?? f.spawnSite, waiters),
        greenlets: [id, ...f.joiners.keys()], sites: [e?.site ?? null, f.spawnSite], seq: e?.seq ?? f.exitSeq, t: f.exitT,
      }));
    }
    return out;
  },
};
