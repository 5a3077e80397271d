/**
 * Blocked loop: a greenlet ran at least blockedLoopMs without a switch (once
 * the hub existed, as the live watchdog counts), one finding per line: where
 * the watchdog saw it in a live session, else where it had resumed.
 */

import type { LongRun } from '../facts';
import { siteKey } from '../facts';
import type { Finding } from '../finding';
import { MESSAGES } from '../../present/finding-words';
import { finding, type CheckContext, type Lint } from './lint';

export const blockedLoopLint: Lint = {
  kinds: ['blocked-loop'],
  check(ctx: CheckContext): Finding[] {
    const bySite = new Map<string, LongRun[]>();
    for (const run of ctx.facts.longRuns.values()) {
      const key = siteKey(run.liveSite ?? run.site);
      bySite.set(key, [...(bySite.get(key) ?? []), run]);
    }
    const limit = ctx.config.blockedLoopMs * 1000;
    const out: Finding[] = [];
    for (const [key, runs] of bySite) {
      const worst = runs.reduce((a, b) => (b.endT - b.startT > a.endT - a.startT ? b : a));
      const live = worst.liveSite !== null;
      const us = Math.max(worst.endT - worst.startT, live ? limit : 0);
      const at = worst.liveSite ?? worst.site;
      out.push(finding('blocked-loop', 'warning', key, {
        message: MESSAGES.blockedLoop(ctx.label(worst.g), us, at, live, runs.length),
        greenlets: [...new Set(runs.map((r) => r.g))], sites: [at, worst.site], seq: worst.endSeq, t: worst.endT,
      }));
    }
    return out;
  },
};
