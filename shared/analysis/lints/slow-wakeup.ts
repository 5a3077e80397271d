/**
 * Slow wake-up: a greenlet ready to run (made ready, spawned, or its timer
 * due) that waited at least slowWakeupMs for its turn while others held the
 * loop, one finding per line it waited at. A wait explained by one run long
 * enough to be a blocked loop is left to that finding (facts.ts).
 */

import { siteKey, type SlowWake } from '../facts';
import type { Finding } from '../finding';
import { MESSAGES } from '../../present/finding-words';
import { finding, type CheckContext, type Lint } from './lint';

export const slowWakeupLint: Lint = {
  kinds: ['slow-wakeup'],
  check(ctx: CheckContext): Finding[] {
    const bySite = new Map<string, SlowWake[]>();
    for (const w of ctx.facts.slowWakes) {
      const key = siteKey(w.site);
      bySite.set(key, [...(bySite.get(key) ?? []), w]);
    }
    const out: Finding[] = [];
    for (const [key, wakes] of bySite) {
      const worst = wakes.reduce((a, b) => (b.waitedUs > a.waitedUs ? b : a));
      const holder = worst.holder === 0 ? null : ctx.label(worst.holder);
      out.push(finding('slow-wakeup', 'warning', key, {
        message: MESSAGES.slowWakeup(ctx.label(worst.g), worst.waitedUs, worst.site, holder, worst.holderUs, worst.holders, wakes.length),
        greenlets: [...new Set([worst.g, ...wakes.map((w) => w.g), ...(worst.holder !== 0 ? [worst.holder] : [])])],
        sites: [worst.site], seq: worst.seq, t: worst.t,
      }));
    }
    return out;
  },
};
