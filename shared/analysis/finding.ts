/**
 * What the findings engine reports (tokio-console's warnings, for greenlets):
 * each finding names its kind, how bad it is, the greenlets and objects
 * involved, the source lines, the event where it became true and one
 * sentence saying what is wrong. Shared as plain JSON by the CLI, the debug
 * adapter (Problems view) and the board.
 */

import type { Frame } from '../trace/events';

export const FINDING_KINDS = [
  'deadlock-cycle',
  'deadlock-exhaustion',
  'never-woken',
  'leaked-greenlet',
  'unobserved-exception',
  'blocked-loop',
  'unbounded-growth',
  'slow-wakeup',
  'frequent-timeouts',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** error: the program is broken; warning: it misbehaves; info: worth a look. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Each kind's usual severity (a leaked greenlet that only returned a value nobody read is info). */
export const KIND_SEVERITY: Readonly<Record<FindingKind, Severity>> = {
  'deadlock-cycle': 'error',
  'deadlock-exhaustion': 'error',
  'never-woken': 'error',
  'leaked-greenlet': 'warning',
  'unobserved-exception': 'error',
  'blocked-loop': 'warning',
  'unbounded-growth': 'warning',
  'slow-wakeup': 'warning',
  'frequent-timeouts': 'info',
};

/** Whether `s` is at least as bad as `floor`. */
export function atLeast(s: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(floor);
}

/**
 * How a finding is known: from the recorded events alone, or proven by the
 * live runtime (reachability of an object from every greenlet that can still
 * run, the way Go's goroutine leak profile uses its collector).
 */
export type Proof = 'trace' | 'runtime';

export interface Finding {
  /** Stable across re-checks of a growing trace: the kind and what it is about. */
  readonly id: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** The kind in a few words ("Exception nobody observed"). */
  readonly summary: string;
  /** One sentence: what is wrong here. */
  readonly message: string;
  /** Greenlet ids involved, the main one first. */
  readonly greenlets: readonly number[];
  /** Object ids involved (queues, events, results, locks). */
  readonly objects: readonly number[];
  /** Source lines, the one to show first first (may be empty). */
  readonly sites: readonly Frame[];
  /** The event at which it became true, and its time (µs since t0). */
  readonly seq: number;
  readonly t: number;
  readonly proof: Proof;
}

/** Thresholds; every finding kind can also be turned off. */
export interface FindingsConfig {
  /** A greenlet running this long without a switch blocks the loop (the watchdog's blockedLoopMs). */
  readonly blockedLoopMs: number;
  /** A greenlet ready to run that waits this long for its turn is woken slowly. */
  readonly slowWakeupMs: number;
  /** A queue holding at least this many items at the end that it never drained below half its peak grows without bound. */
  readonly growthMinItems: number;
  /** Fires of one wait's timeout, at one line, that count as often… */
  readonly timeoutMinFires: number;
  /** …when they are at least this share of the waits there. */
  readonly timeoutMinShare: number;
  readonly disabled: readonly FindingKind[];
}

export const DEFAULT_FINDINGS_CONFIG: FindingsConfig = {
  blockedLoopMs: 100,
  slowWakeupMs: 100,
  growthMinItems: 1000,
  timeoutMinFires: 5,
  timeoutMinShare: 0.5,
  disabled: [],
};

/** Orders findings: worst first, then by the event where they became true. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.seq - b.seq || a.id.localeCompare(b.id);
}
