/** Deadlock cycle and deadlock by exhaustion: the verdict of ../deadlock.ts at the newest event, as a finding. */

import type { Finding } from '../finding';
import type { CheckContext, Lint } from './lint';
import { finding } from './lint';
import { MESSAGES } from '../../present/finding-words';

export const deadlockLint: Lint = {
  kinds: ['deadlock-cycle', 'deadlock-exhaustion'],
  check(ctx: CheckContext): Finding[] {
    const v = ctx.deadlock;
    if (v === null) return [];
    const names = v.greenlets.map((g) => ctx.label(g));
    const blocks = v.greenlets.map((g) => ctx.facts.greenlets.get(g)?.lastBlock ?? null);
    // It became true when the last of them started waiting.
    const last = blocks.reduce((a, b) => (b !== null && (a === null || b.seq > a.seq) ? b : a), null);
    const seq = last?.seq ?? ctx.state.seq;
    const t = last?.t ?? ctx.state.t;
    const sites = blocks.map((b) => b?.site ?? null);
    if (v.kind === 'cycle') {
      return [finding('deadlock-cycle', 'error', v.greenlets.join(','), {
        message: MESSAGES.deadlockCycle(names, v.objects.map((o) => ctx.objectLabel(o))),
        greenlets: v.greenlets, objects: v.objects, sites, seq, t,
      })];
    }
    return [finding('deadlock-exhaustion', 'error', v.greenlets.join(','), {
      message: MESSAGES.deadlockExhaustion(names), greenlets: v.greenlets, sites, seq, t,
    })];
  },
};
