/**
 * The shape of one finding kind (tokio-console's `Warn`: check, summary,
 * explanation): a lint decides from the facts and the state what is wrong;
 * its words come from words.ts. A new kind is one lint and one entry in
 * index.ts.
 */

import type { GreenletView, TraceState } from '../../model/state';
import type { Frame } from '../../trace/events';
import type { DeadlockVerdict } from '../deadlock';
import type { TraceFacts } from '../facts';
import type { Finding, FindingKind, FindingsConfig, Proof, Severity } from '../finding';
import type { WaitGraph } from '../waitgraph';
import { KIND_WORDS } from '../../present/finding-words';

/** What a live runtime proved about a wait: whether anything that can still run reaches its object. */
export interface WaitProof {
  readonly g: number;
  readonly obj: number;
  readonly reachable: boolean;
}

export interface CheckContext {
  readonly facts: TraceFacts;
  /** The state at the newest event, with greenlets that died of LoopExit shown in their last wait. */
  readonly state: TraceState;
  readonly config: FindingsConfig;
  readonly greenlets: ReadonlyMap<number, GreenletView>;
  readonly graph: WaitGraph;
  readonly deadlock: DeadlockVerdict | null;
  /** Runtime proofs by `${g}:${obj}` (live sessions only). */
  readonly proofs: ReadonlyMap<string, WaitProof>;
  label(g: number): string;
  objectLabel(obj: number): string;
}

export interface Lint {
  /** The kinds it reports (the deadlock lint reports both deadlock kinds). */
  readonly kinds: readonly FindingKind[];
  check(ctx: CheckContext): Finding[];
}

export function summaryOf(kind: FindingKind): string {
  return KIND_WORDS[kind].summary;
}

export function explanationOf(kind: FindingKind): string {
  return KIND_WORDS[kind].explanation;
}

export interface FindingParts {
  readonly message: string;
  readonly greenlets: readonly number[];
  readonly objects?: readonly number[];
  readonly sites: readonly (Frame | null)[];
  readonly seq: number;
  readonly t: number;
  readonly proof?: Proof;
}

/** A finding of `kind` about `key` (what makes it one finding: a greenlet, a line, an object). */
export function finding(kind: FindingKind, severity: Severity, key: string, parts: FindingParts): Finding {
  const sites: Frame[] = [];
  for (const s of parts.sites) if (s !== null && !sites.some((x) => x.file === s.file && x.line === s.line)) sites.push(s);
  return {
    id: `${kind}:${key}`, kind, severity, summary: summaryOf(kind), message: parts.message,
    greenlets: [...parts.greenlets], objects: [...(parts.objects ?? [])], sites,
    seq: parts.seq, t: parts.t, proof: parts.proof ?? 'trace',
  };
}

export const isDead = (g: GreenletView): boolean => g.state === 'dead_ok' || g.state === 'dead_exception';
