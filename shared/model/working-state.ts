/**
 * The model's internal, mutable state and its copy-on-write discipline.
 *
 * Checkpoints share entity records with the live state. Each record carries
 * the epoch it was created in; a state may mutate only records of its own
 * epoch and clones any other record first. Taking a checkpoint is therefore
 * a copy of two Maps of pointers plus an epoch bump, and each record is
 * cloned at most once per checkpoint interval, however often it changes.
 */

import { ItemQueue } from './item-queue';
import type { BlockReason, Frame, GKind, OKind } from '../trace/events';
import type { ObjectCategory } from './categories';
import type { EndInfo, ExceptionInfo, GreenletStateName } from './state';

export interface BlockRec {
  readonly reason: BlockReason;
  readonly obj: number;
  readonly timeout: number | null;
  readonly site: Frame | null;
  /** Orders waiters: the seq of the `block` record. */
  readonly seq: number;
}

export interface GreenletRec {
  epoch: number;
  readonly id: number;
  /** False for a placeholder made when an event named a greenlet before its spawn. */
  spawned: boolean;
  name: string;
  func: string;
  gkind: GKind;
  parent: number;
  spawnSite: Frame | null;
  state: GreenletStateName;
  blockedOn: BlockRec | null;
  started: boolean;
  ready: boolean;
  successful: boolean;
  killed: boolean;
  value: string | null;
  exception: string | null;
  switches: number;
  exceptionInfo: ExceptionInfo | null;
}

export interface ObjectRec {
  epoch: number;
  readonly id: number;
  readonly okind: OKind;
  readonly category: ObjectCategory;
  readonly className: string;
  readonly capacity: number | null;
  /** "Queue#1", or the program's name for it once a `named` record gives it. */
  label: string;
  /** Queue contents, head first. Mutated in place within the record's epoch. */
  items: ItemQueue;
  set: boolean;
  value: string | null;
  exception: string | null;
  holders: number[];
}

export interface WorkingState {
  /** Records with this epoch belong to this state alone and may be mutated. */
  epoch: number;
  seq: number;
  t: number;
  current: number | null;
  greenlets: Map<number, GreenletRec>;
  objects: Map<number, ObjectRec>;
  /** Objects seen so far per okind, for "Queue#n" labels. */
  okindCounts: Partial<Record<OKind, number>>;
  /** Objects given each program name so far, for "self.done#2" labels. */
  nameCounts: Map<string, number>;
  markCount: number;
  errorCount: number;
  end: EndInfo | null;
  inconsistencies: number;
}

export function emptyState(epoch: number): WorkingState {
  return {
    epoch, seq: -1, t: 0, current: null,
    greenlets: new Map(), objects: new Map(), okindCounts: {}, nameCounts: new Map(),
    markCount: 0, errorCount: 0, end: null, inconsistencies: 0,
  };
}

/** A state sharing all records with `s`; neither may mutate them afterwards without cloning. */
export function forkState(s: WorkingState, epoch: number): WorkingState {
  return {
    ...s,
    epoch,
    greenlets: new Map(s.greenlets),
    objects: new Map(s.objects),
    okindCounts: { ...s.okindCounts },
    nameCounts: new Map(s.nameCounts),
  };
}

export function newGreenlet(s: WorkingState, id: number): GreenletRec {
  return {
    epoch: s.epoch, id, spawned: false, name: '', func: '', gkind: 'greenlet', parent: 0, spawnSite: null,
    state: 'not_started', blockedOn: null, started: false, ready: false, successful: false,
    killed: false, value: null, exception: null, switches: 0, exceptionInfo: null,
  };
}

/**
 * The greenlet record for writing, cloned into this state's epoch if shared.
 * An id never spawned gets a placeholder (counted as an inconsistency) so
 * the view still shows who did what; id 0 ("unknown") gets nothing.
 */
export function greenletForWrite(s: WorkingState, id: number): GreenletRec | null {
  if (id === 0) return null;
  const rec = s.greenlets.get(id);
  if (rec === undefined) {
    s.inconsistencies++;
    const created = newGreenlet(s, id);
    s.greenlets.set(id, created);
    return created;
  }
  if (rec.epoch === s.epoch) return rec;
  const copy = cloneGreenlet(rec, s.epoch);
  s.greenlets.set(id, copy);
  return copy;
}

/** The object record for writing; unknown objects are ignored (and counted). */
export function objectForWrite(s: WorkingState, id: number): ObjectRec | null {
  const rec = s.objects.get(id);
  if (rec === undefined) {
    s.inconsistencies++;
    return null;
  }
  if (rec.epoch === s.epoch) return rec;
  const copy = cloneObject(rec, s.epoch);
  s.objects.set(id, copy);
  return copy;
}

// Spelled out field by field rather than spread: object literals of one
// shape keep V8's hidden classes stable, which matters on the replay path.
function cloneGreenlet(r: GreenletRec, epoch: number): GreenletRec {
  return {
    epoch, id: r.id, spawned: r.spawned, name: r.name, func: r.func, gkind: r.gkind, parent: r.parent,
    spawnSite: r.spawnSite, state: r.state, blockedOn: r.blockedOn, started: r.started, ready: r.ready,
    successful: r.successful, killed: r.killed, value: r.value, exception: r.exception,
    switches: r.switches, exceptionInfo: r.exceptionInfo,
  };
}

function cloneObject(r: ObjectRec, epoch: number): ObjectRec {
  return {
    epoch, id: r.id, okind: r.okind, category: r.category, className: r.className, capacity: r.capacity,
    label: r.label, items: r.items.clone(), set: r.set, value: r.value, exception: r.exception,
    holders: r.holders.slice(),
  };
}
