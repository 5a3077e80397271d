/**
 * The findings engine: fed every event once (TraceFacts), asked at any time
 * for what is wrong as of the newest event. One engine serves the CLI
 * (`greenlet-lens check`), the debug adapter (Problems view, with the
 * runtime's reachability proofs) and the board (Findings tab); deadlock is
 * decided by ./deadlock.ts for all of them.
 */

import type { BlockedOn, GreenletView, TraceState } from '../model/state';
import type { TraceEvent } from '../trace/events';
import { deadlockVerdict } from './deadlock';
import { TraceFacts } from './facts';
import { compareFindings, type Finding, type FindingKind, type FindingsConfig } from './finding';
import { LINTS, type CheckContext, type WaitProof } from './lints/index';
import { buildWaitGraph, NEVER_WOKEN } from './waitgraph';
import { whyNotRunning, type WhyAnswer } from './why';

export class FindingsEngine {
  readonly facts: TraceFacts;

  constructor(config: Partial<FindingsConfig> = {}) {
    this.facts = new TraceFacts(config);
  }

  get config(): FindingsConfig {
    return this.facts.config;
  }

  apply(ev: TraceEvent): void {
    this.facts.apply(ev);
  }

  applyAll(events: Iterable<TraceEvent>): void {
    for (const ev of events) this.facts.apply(ev);
  }

  /**
   * Everything wrong as of `state`, the model's state at the newest event
   * applied, worst first. `proofs` are a live runtime's answers about waits
   * (which objects nothing that can run still reaches); `stuck` the
   * greenlets a live runtime stopped on as deadlocked (gevent is about to
   * throw LoopExit into them, so the model shows them running).
   */
  check(state: TraceState, proofs: readonly WaitProof[] = [], stuck: readonly number[] = []): Finding[] {
    const ctx = this.context(state, proofs, stuck);
    const disabled = new Set<FindingKind>(this.config.disabled);
    const found: Finding[] = [];
    for (const lint of LINTS) {
      if (lint.kinds.every((k) => disabled.has(k))) continue;
      for (const f of lint.check(ctx)) if (!disabled.has(f.kind)) found.push(f);
    }
    return subsume(found).sort(compareFindings);
  }

  /** "Why is greenlet `g` not running?" at `state` (the newest event, or a board's cursor); `stuck` as for check(). */
  why(state: TraceState, g: number, stuck: readonly number[] = []): WhyAnswer {
    return whyNotRunning(this.context(state, [], stuck), g);
  }

  /** What a check sees: the state with LoopExit's victims back in their waits, its wait-for graph and deadlock verdict. */
  context(state: TraceState, proofs: readonly WaitProof[] = [], stuck: readonly number[] = []): CheckContext {
    const analysed = reviveLoopExit(state, this.facts, new Set(stuck));
    const greenlets = new Map(analysed.greenlets.map((g) => [g.id, g]));
    const objects = objectLabels(analysed);
    const graph = buildWaitGraph(analysed, (obj, reason) => this.facts.queueWakers(obj, reason, analysed.seq), NEVER_WOKEN, Number.MAX_SAFE_INTEGER);
    return {
      facts: this.facts, state: analysed, config: this.config, greenlets, graph,
      deadlock: deadlockVerdict(analysed, graph),
      proofs: new Map(proofs.map((p) => [`${p.g}:${p.obj}`, p])),
      label: (g) => greenlets.get(g)?.label ?? `g${g}`,
      objectLabel: (o) => objects.get(o) ?? `object#${o}`,
    };
  }
}

/**
 * gevent answers a deadlock by throwing LoopExit into the main greenlet,
 * which the model then shows running, and dead. It was waiting when the
 * deadlock happened: shown in its last wait, it counts where it belongs.
 */
function reviveLoopExit(state: TraceState, facts: TraceFacts, stuck: ReadonlySet<number>): TraceState {
  const labels = objectLabels(state);
  let changed = false;
  const greenlets = state.greenlets.map((g): GreenletView => {
    const f = facts.greenlets.get(g.id);
    const b = f?.lastBlock;
    if (f === undefined || !(f.diedOfLoopExit || stuck.has(g.id)) || b === undefined || b === null) return g;
    changed = true;
    const objLabel = b.obj === 0 ? null : b.reason === 'join'
      ? state.greenlets.find((x) => x.id === b.obj)?.label ?? `g${b.obj}` : labels.get(b.obj) ?? `object#${b.obj}`;
    const blockedOn: BlockedOn = { reason: b.reason, obj: b.obj, objLabel, timeout: b.timeout, site: b.site };
    return { ...g, state: 'blocked', blockedOn };
  });
  return changed ? { ...state, greenlets } : state;
}

function objectLabels(state: TraceState): Map<number, string> {
  const out = new Map<number, string>();
  for (const list of [state.queues, state.events, state.locks]) for (const o of list) out.set(o.id, o.label);
  return out;
}

/** A greenlet a deadlock or a hopeless wait already explains is not listed again as leaked, nor a deadlock all of whose greenlets such waits explain. */
function subsume(found: Finding[]): Finding[] {
  const stuck = new Set<number>();
  const hopeless = new Set<number>();
  for (const f of found) {
    if (f.kind === 'deadlock-cycle' || f.kind === 'deadlock-exhaustion') for (const g of f.greenlets) stuck.add(g);
    if (f.kind === 'never-woken') {
      stuck.add(f.greenlets[0]!);
      hopeless.add(f.greenlets[0]!);
    }
  }
  return found.filter((f) => {
    if (f.kind === 'leaked-greenlet' && f.severity !== 'info') return !stuck.has(f.greenlets[0]!);
    if (f.kind === 'deadlock-exhaustion') return !f.greenlets.every((g) => hopeless.has(g));
    return true;
  });
}
