/**
 * Leaked greenlets: alive (blocked, ready, never started) when the program
 * ended; or ended with a value nobody joined, got or linked to and that the
 * program did not even keep (a `.value` read or a join() after the end
 * leaves no trace; info only). One finding per
 * line, so a thousand alike greenlets make one entry.
 */

import type { GreenletView } from '../../model/state';
import type { Frame } from '../../trace/events';
import { siteKey } from '../facts';
import type { Finding } from '../finding';
import { MESSAGES, waitPhrase } from '../../present/finding-words';
import { finding, isDead, type CheckContext, type Lint } from './lint';

interface Group {
  readonly at: Frame | null;
  readonly spawned: Frame | null;
  readonly doing: string;
  readonly ids: number[];
}

export const leakedLint: Lint = {
  kinds: ['leaked-greenlet'],
  check(ctx: CheckContext): Finding[] {
    return [...aliveAtEnd(ctx), ...unreadResults(ctx)];
  },
};

function aliveAtEnd(ctx: CheckContext): Finding[] {
  const { facts } = ctx;
  if (!facts.ended) return [];
  const groups = new Map<string, Group>();
  for (const g of ctx.state.greenlets) {
    if (g.gkind === 'hub' || g.gkind === 'main' || isDead(g)) continue;
    const spawned = facts.greenlets.get(g.id)?.spawnSite ?? g.spawnSite;
    const { doing, at } = whatItDoes(g, spawned, ctx);
    const key = `${g.state}:${doing}:${siteKey(at)}`;
    const group = groups.get(key) ?? { at, spawned, doing, ids: [] };
    group.ids.push(g.id);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, group]) => finding('leaked-greenlet', 'warning', key, {
    message: MESSAGES.leakedAlive(ctx.label(group.ids[0]!), group.ids.length - 1, group.doing, group.at),
    greenlets: group.ids, sites: [group.at, group.spawned], seq: facts.endSeq, t: ctx.state.t,
  }));
}

function whatItDoes(g: GreenletView, spawned: Frame | null, ctx: CheckContext): { doing: string; at: Frame | null } {
  if (g.state === 'blocked' && g.blockedOn !== null) return { doing: waitPhrase(g.blockedOn.reason, g.blockedOn.objLabel), at: g.blockedOn.site ?? spawned };
  if (g.state === 'not_started' || g.switches === 0) return { doing: 'had never run, spawned', at: spawned };
  return { doing: 'was ready to run, last seen', at: ctx.facts.greenlets.get(g.id)?.lastBlock?.site ?? spawned };
}

function unreadResults(ctx: CheckContext): Finding[] {
  const groups = new Map<string, { site: Frame | null; ids: number[]; value: string; seq: number; t: number }>();
  for (const [id, f] of ctx.facts.greenlets) {
    if (f.gkind !== 'gevent' || !f.dead || f.killed || f.value === '' || f.error !== '' || f.exception !== null) continue;
    if (f.observed || f.valueLinked || f.held) continue;
    const key = siteKey(f.spawnSite);
    const group = groups.get(key) ?? { site: f.spawnSite, ids: [], value: f.value, seq: f.exitSeq, t: f.exitT };
    group.ids.push(id);
    if (f.exitSeq > group.seq) {
      group.seq = f.exitSeq;
      group.t = f.exitT;
    }
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, g]) => finding('leaked-greenlet', 'info', `value:${key}`, {
    message: MESSAGES.unreadResult(ctx.label(g.ids[0]!), g.ids.length - 1, g.value, g.site),
    greenlets: g.ids, sites: [g.site], seq: g.seq, t: g.t,
  }));
}
