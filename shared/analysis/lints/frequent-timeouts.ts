/** Timeouts that fire often: a wait with a timeout, at one line, ending by its timeout in most of its waits. */

import type { Finding } from '../finding';
import { MESSAGES, waitPhrase } from '../../present/finding-words';
import { finding, type CheckContext, type Lint } from './lint';

export const frequentTimeoutsLint: Lint = {
  kinds: ['frequent-timeouts'],
  check(ctx: CheckContext): Finding[] {
    const out: Finding[] = [];
    const { timeoutMinFires, timeoutMinShare } = ctx.config;
    for (const [key, ts] of ctx.facts.timeoutSites) {
      if (ts.fires < timeoutMinFires || ts.fires < ts.waits * timeoutMinShare) continue;
      const target = ts.obj === 0 ? null : ts.reason === 'join' ? ctx.label(ts.obj) : ctx.objectLabel(ts.obj);
      out.push(finding('frequent-timeouts', 'info', key, {
        message: MESSAGES.frequentTimeouts(waitPhrase(ts.reason, target), ts.site, ts.timeout, ts.fires, ts.waits),
        greenlets: [...ts.greenlets], objects: ts.obj !== 0 && ts.reason !== 'join' ? [ts.obj] : [], sites: [ts.site],
        seq: ts.lastFireSeq, t: ts.lastFireT,
      }));
    }
    return out;
  },
};
