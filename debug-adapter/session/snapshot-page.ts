/**
 * One page of a greenletSnapshot. A state of 10k greenlets is megabytes of
 * JSON, most of it their spawn and wait sites (two file paths each): the
 * answer is one page of greenlets, sites only when asked, so that a client
 * gets what it shows in tens of milliseconds and pages on for the rest.
 */
import type { GreenletView, TraceState } from '../../shared/model/state';

export function snapshotPage(state: TraceState, start: number, count: number, sites: boolean): {
  state: TraceState; greenletsTotal: number; start: number; sites: boolean;
} {
  const page = state.greenlets.slice(start, start + count);
  return {
    state: { ...state, greenlets: sites ? page : page.map(withoutSites) },
    greenletsTotal: state.greenlets.length,
    start,
    sites,
  };
}

function withoutSites(g: GreenletView): GreenletView {
  return { ...g, spawnSite: null, blockedOn: g.blockedOn === null ? null : { ...g.blockedOn, site: null } };
}
