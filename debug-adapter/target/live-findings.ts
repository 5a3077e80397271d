/**
 * The findings of a live session: the shared engine (shared/analysis) fed
 * every event the runtime streams, checked at each stop with what only the
 * live program can tell: which waits nothing that can still run reaches
 * (the runtime's `waitProofs`), where a blocked loop was caught (the top of
 * the stopped greenlet's stack), and who a deadlock stop is about. Knows
 * nothing of DAP; the session sends the result as `greenletFindings`.
 */
import { FindingsEngine } from '../../shared/analysis/engine';
import type { Finding, FindingsConfig } from '../../shared/analysis/finding';
import type { WaitProof } from '../../shared/analysis/lints/lint';
import type { WhyAnswer } from '../../shared/analysis/why';
import type { BlockReason } from '../../shared/trace/events';
import type { StopInfo } from '../../shared/protocol/stop';
import type { WaitRef } from '../runtime/protocol';
import type { LiveTarget } from './live-target';

/** Waits the runtime can prove about: on an object, without a timeout. */
const PROVABLE: ReadonlySet<BlockReason> = new Set(['queue_get', 'queue_put', 'event_wait', 'result_get', 'lock_acquire']);
/**
 * Stops that ask the runtime for proofs. A step (a line, or one switch) comes
 * again at once: the walk over the program's objects is left for the stops
 * a user looks around at, and a deadlock stop needs none (nothing can run).
 */
const PROVING_STOPS: ReadonlySet<StopInfo['reason']> = new Set(['entry', 'breakpoint', 'pause', 'exception', 'blocked']);

export class LiveFindings {
  readonly engine: FindingsEngine;
  /** While stopped on a deadlock: the greenlet gevent is about to throw LoopExit into (the model shows it running). */
  private stuck: number[] = [];

  constructor(private readonly target: LiveTarget, config: Partial<FindingsConfig> = {}) {
    this.engine = new FindingsEngine(config);
    target.on('events', (events) => this.engine.applyAll(events));
    target.on('stopped', (stop) => (this.stuck = stop.reason === 'deadlock' ? [stop.g] : []));
    target.on('continued', () => (this.stuck = []));
  }

  /** The findings at a stop (the model holds every event up to it). */
  async atStop(stop: StopInfo): Promise<Finding[]> {
    if (stop.reason === 'blocked') {
      const top = await this.target.stack(stop.g, 0, 1).catch(() => null);
      const frame = top?.frames[0];
      this.engine.facts.noteLiveBlockedLoop(stop.g, frame === undefined ? null : { file: frame.file ?? '', line: frame.line, function: frame.name });
    }
    const state = this.target.state();
    const waits: WaitRef[] = [];
    for (const g of state.greenlets) {
      const b = g.blockedOn;
      if (g.state === 'blocked' && b !== null && b.obj !== 0 && b.timeout === null && PROVABLE.has(b.reason)) waits.push({ g: g.id, obj: b.obj });
    }
    let proofs: WaitProof[] = [];
    if (waits.length > 0 && PROVING_STOPS.has(stop.reason)) {
      // A runtime that cannot answer (older, or it went away) leaves the trace's own verdict.
      const answers = await this.target.waitProofs(waits).catch(() => []);
      proofs = answers.flatMap((a) => (a.reachable === null ? [] : [{ g: a.g, obj: a.obj, reachable: a.reachable }]));
    }
    return this.engine.check(state, proofs, this.stuck);
  }

  why(g: number): WhyAnswer {
    return this.engine.why(this.target.state(), g, this.stuck);
  }
}
