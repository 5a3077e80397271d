/** Unbounded growth: a queue that holds at least growthMinItems items and never drained below half its peak. */

import type { Finding } from '../finding';
import { MESSAGES } from '../../present/finding-words';
import { finding, type CheckContext, type Lint } from './lint';

export const unboundedGrowthLint: Lint = {
  kinds: ['unbounded-growth'],
  check(ctx: CheckContext): Finding[] {
    const out: Finding[] = [];
    for (const o of ctx.facts.objects.values()) {
      if (!o.isQueue || o.grewSeq < 0 || o.size < ctx.config.growthMinItems || o.size * 2 < o.peak) continue;
      out.push(finding('unbounded-growth', 'warning', `${o.id}`, {
        message: MESSAGES.unboundedGrowth(ctx.objectLabel(o.id), o.size, o.peak, o.site),
        greenlets: [...o.putters.keys()], objects: [o.id], sites: [o.site], seq: o.grewSeq, t: o.grewT,
      }));
    }
    return out;
  },
};
