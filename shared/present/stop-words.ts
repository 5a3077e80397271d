/**
 * Stops in words: the description VS Code shows on the stopped thread and
 * the board in its status line, and the longer text of the exception
 * widget. Worded from the stop's facts (shared/protocol/stop.ts) and the
 * model's labels at the stop, for live sessions and replays alike.
 */

import type { TraceState } from '../model/state';
import type { DeadlockWait, StopInfo } from '../protocol/stop';
import { labelIn, objectLabelIn, REASON_WORDS, waitText } from './greenlet-words';

export interface StopWords {
  /** One line: the Call Stack's "Paused on …", the board's status, the exception widget's title. */
  readonly description: string;
  /** Details, or '': the exception, the deadlock's waits (one a line), the blocked time. */
  readonly text: string;
}

/** The deadlock everybody reports: the runtime's stop and the board's banner. */
export const ALL_BLOCKED = 'every greenlet is blocked and nothing is scheduled';

export function stopWords(stop: StopInfo, state: TraceState): StopWords {
  const label = (g: number): string => labelIn(state, g);
  const words = (description: string, text = ''): StopWords => ({ description, text });
  switch (stop.reason) {
    case 'entry':
      return words(stop.replay !== undefined ? replayText(stop) : 'Paused on entry');
    case 'step':
      return words(stop.replay !== undefined ? replayText(stop) : 'Paused after a step');
    case 'switch':
      if (stop.replay !== undefined) return words(replayText(stop));
      return words(stop.from !== undefined && stop.to !== undefined ? switchText(stop.from, stop.to) : 'Paused before a switch');
    case 'breakpoint':
      if (stop.replay !== undefined) return words(replayText(stop));
      return words(stop.line !== undefined ? `Breakpoint at line ${stop.line}` : 'Paused on breakpoint');
    case 'pause':
      return words(`Paused in ${label(stop.g)}`);
    case 'exception': {
      const info = state.greenlets.find((x) => x.id === stop.g)?.exceptionInfo ?? null;
      const type = stop.exception ?? info?.type ?? 'an exception';
      const text = info === null ? '' : info.message !== '' ? `${info.type}: ${info.message}` : info.type;
      return words(stop.uncaught === true ? `Uncaught ${type} in main` : `${label(stop.g)} raised ${type}`, text);
    }
    case 'deadlock':
      return words(`Deadlock: ${ALL_BLOCKED}`, (stop.waits ?? []).map((w) => `${label(w.g)} waits on ${deadlockWaitText(w, state)}`).join('\n'));
    case 'blocked': {
      const ms = stop.ms ?? 0;
      return words(
        `Blocked loop: ${label(stop.g)} has run ${ms} ms without yielding`,
        `No greenlet switch for ${ms} ms (threshold ${stop.thresholdMs ?? '?'} ms): this greenlet keeps the hub from running.`,
      );
    }
  }
}

/** `switch g3 → g5`. */
export function switchText(from: number, to: number): string {
  return `switch g${from} → g${to}`;
}

/** A replay's cursor: `switch g3 → g5 (switch 12 of 68)`, `start of trace: …`, `end of trace: …`. */
function replayText(stop: StopInfo): string {
  const r = stop.replay!;
  const at = `${switchText(stop.from ?? 0, stop.to ?? stop.g)} (switch ${r.index + 1} of ${r.count})`;
  return r.edge === 'start' ? `start of trace: ${at}` : r.edge === 'end' ? `end of trace: ${at}` : at;
}

function deadlockWaitText(w: DeadlockWait, state: TraceState): string {
  const objLabel = w.obj === 0 ? null : w.reason === 'join' ? labelIn(state, w.obj) : objectLabelIn(state, w.obj);
  return waitText({ reason: w.reason, obj: w.obj, objLabel }) || REASON_WORDS[w.reason];
}

/** The board's verdicts (webview/derived/deadlock.ts) in the same words as the runtime's deadlock. */
export function cycleDeadlockText(greenlets: readonly string[], through: readonly string[]): string {
  return `Deadlock: ${greenlets.join(', ')} wait on each other${through.length > 0 ? ` through ${through.join(', ')}` : ''}`;
}

export function allBlockedText(greenlets: readonly string[]): string {
  return `Deadlock: ${ALL_BLOCKED} (${greenlets.join(', ')})`;
}

/** How a session ended, for the board's status: a program stopped by the user ends with SIGTERM's 143, so say who ended it. */
export function endedText(exitCode: number | null, byUser: boolean, detached = false): string {
  if (detached) return 'detached: the program runs on without the debugger';
  return `${byUser ? 'stopped by you' : 'ended'}${exitCode === null ? '' : ` (exit code ${exitCode})`}`;
}
