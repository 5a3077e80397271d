/**
 * A trace file's findings (Node only: it reads the file): one pass of the
 * decoder into the findings engine and the state at the last event, without
 * the model's event log. Used by `greenlet-lens check` and by the extension
 * for a trace opened in the trace editor.
 */

import { FindingsEngine } from '../analysis/engine';
import type { Finding, FindingsConfig } from '../analysis/finding';
import { HeadState } from '../model/head-state';
import { streamTraceFile, type TraceReadSummary } from '../trace/read-file';

export interface TraceCheck {
  readonly summary: TraceReadSummary;
  readonly findings: Finding[];
}

export async function checkTraceFile(path: string, config: Partial<FindingsConfig> = {}): Promise<TraceCheck> {
  const engine = new FindingsEngine(config);
  const head = new HeadState();
  const summary = await streamTraceFile(path, (events) => {
    for (const ev of events) {
      head.apply(ev);
      engine.apply(ev);
    }
  });
  const findings = summary.eventCount === 0 ? [] : engine.check(head.snapshot());
  return { summary, findings };
}
