/**
 * The state at the newest event only, for callers that never look back (the
 * `check` command): the model's apply without its event log and checkpoints.
 */

import type { TraceEvent } from '../trace/events';
import { applyEvent } from './apply';
import { buildSnapshot } from './snapshot';
import type { MarkEntry, RuntimeErrorEntry, TraceState } from './state';
import { emptyState } from './working-state';

export class HeadState {
  private readonly state = emptyState(0);
  private readonly marks: MarkEntry[] = [];
  private readonly errors: RuntimeErrorEntry[] = [];

  apply(ev: TraceEvent): void {
    if (ev.kind === 'mark') this.marks.push({ seq: ev.seq, t: ev.t, label: ev.label });
    else if (ev.kind === 'error') this.errors.push({ seq: ev.seq, t: ev.t, message: ev.message });
    applyEvent(this.state, ev);
  }

  snapshot(): TraceState {
    return buildSnapshot(this.state, this.marks, this.errors);
  }
}
