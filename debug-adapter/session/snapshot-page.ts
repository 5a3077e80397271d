/**
 * One page of a greenletSnapshot. A state of 10k greenlets is megabytes of
 * JSON, most of it their spawn and wait sites (two file paths each): the
 * answer is one page of greenlets, sites only when asked, so that a client
 * gets what it shows in tens of milliseconds and pages on for the rest. Only
 * the page's greenlets are viewed (DebugTarget.statePage).
 */
import type { GreenletView, TraceState } from '../../shared/model/state';
import type { DebugTarget } from '../target/debug-target';

export function snapshotPage(target: Pick<DebugTarget, 'statePage'>, start: number, count: number, sites: boolean): {
  state: TraceState; greenletsTotal: number; start: number; sites: boolean;
} {
  const { state, greenletsTotal } = target.statePage(start, count);
  return {
    state: sites ? state : { ...state, greenlets: state.greenlets.map(withoutSites) },
    greenletsTotal,
    start,
    sites,
  };
}

function withoutSites(g: GreenletView): GreenletView {
  return { ...g, spawnSite: null, blockedOn: g.blockedOn === null ? null : { ...g.blockedOn, site: null } };
}
