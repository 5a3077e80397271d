/**
 * Applies one trace event to the working state, following "Meaning, as the
 * state model applies it" in docs/trace-format.md. Events that do not fit
 * (unknown ids, a get of an absent item) are applied as best as possible and
 * counted in `inconsistencies` rather than rejected: a view of a slightly
 * inconsistent trace is more useful than none.
 */

import { assertNever } from '../assert-never';
import { ItemQueue } from './item-queue';
import type { GetEvent, NamedEvent, ObjectEvent, SwitchEvent, TraceEvent } from '../trace/events';
import { categoryOf } from './categories';
import {
  greenletForWrite, newGreenlet, objectForWrite, type GreenletRec, type WorkingState,
} from './working-state';

export function applyEvent(s: WorkingState, ev: TraceEvent): void {
  s.seq = ev.seq;
  s.t = ev.t;
  switch (ev.kind) {
    case 'spawn': {
      if (ev.g === 0) return;
      const known = s.greenlets.get(ev.g);
      // A second spawn of one id is a tracer bug; a spawn after a placeholder
      // was made for an early reference merely fills it in.
      if (known?.spawned) s.inconsistencies++;
      let g: GreenletRec;
      if (known === undefined) {
        g = newGreenlet(s, ev.g);
        s.greenlets.set(ev.g, g);
      } else {
        g = greenletForWrite(s, ev.g)!;
      }
      g.spawned = true;
      g.name = ev.name;
      g.func = ev.func;
      g.gkind = ev.gkind;
      g.parent = ev.parent;
      g.spawnSite = ev.site;
      // The main greenlet is already running when the tracer first sees it;
      // no switch into it will ever be recorded.
      if (ev.gkind === 'main' && g.state === 'not_started' && (s.current === null || s.current === ev.g)) {
        g.state = 'running';
        g.started = true;
        s.current = ev.g;
      }
      return;
    }
    case 'switch':
      return applySwitch(s, ev);
    case 'block': {
      const g = live(s, ev.g);
      if (g === null) return;
      g.state = 'blocked';
      g.started = true;
      g.blockedOn = { reason: ev.reason, obj: ev.obj, timeout: ev.timeout, site: ev.site, seq: ev.seq };
      return;
    }
    case 'ready': {
      const g = live(s, ev.g);
      if (g === null) return;
      g.started = true;
      g.blockedOn = null;
      if (g.state !== 'running') g.state = 'runnable';
      return;
    }
    case 'exception': {
      const g = greenletForWrite(s, ev.g);
      if (g === null) return;
      g.exceptionInfo = { type: ev.type, message: ev.message, traceback: ev.traceback };
      // A plain greenlet's exception reaches the recorder after its exit.
      if (g.state === 'dead_ok') g.state = 'dead_exception';
      return;
    }
    case 'rename': {
      const g = greenletForWrite(s, ev.g);
      if (g !== null) g.name = ev.name;
      return;
    }
    case 'exit': {
      const g = greenletForWrite(s, ev.g);
      if (g === null) return;
      g.state = g.exceptionInfo !== null || ev.error !== '' ? 'dead_exception' : 'dead_ok';
      g.blockedOn = null;
      g.started = ev.flags.started;
      g.ready = ev.flags.ready;
      g.successful = ev.flags.successful;
      g.killed = ev.flags.killed;
      g.value = ev.value === '' ? null : ev.value;
      g.exception = ev.error === '' ? null : ev.error;
      return;
    }
    case 'object':
      return applyObject(s, ev);
    case 'put': {
      objectForWrite(s, ev.obj)?.items.push(ev.item);
      return;
    }
    case 'get':
      return applyGet(s, ev);
    case 'qsync': {
      const o = objectForWrite(s, ev.obj);
      if (o !== null) o.items = ItemQueue.of(ev.items);
      return;
    }
    case 'set': {
      const o = objectForWrite(s, ev.obj);
      if (o === null) return;
      o.set = true;
      // An Event's set carries no value; only an AsyncResult holds one.
      if (o.okind === 'AsyncResult') {
        o.value = ev.value;
        o.exception = null;
      }
      return;
    }
    case 'setexc': {
      const o = objectForWrite(s, ev.obj);
      if (o === null) return;
      o.set = true;
      o.value = null;
      o.exception = ev.error;
      return;
    }
    case 'clear': {
      const o = objectForWrite(s, ev.obj);
      if (o !== null) o.set = false;
      return;
    }
    case 'acquire': {
      objectForWrite(s, ev.obj)?.holders.push(ev.g);
      return;
    }
    case 'release': {
      const o = objectForWrite(s, ev.obj);
      if (o === null) return;
      // A semaphore may be released by someone other than its holder (gevent's
      // Pool releases from the hub when a member dies): then the oldest
      // acquisition ends. Only a release with no holder at all is inconsistent.
      const at = o.holders.indexOf(ev.g);
      if (at >= 0) o.holders.splice(at, 1);
      else if (o.holders.length > 0) o.holders.shift();
      else s.inconsistencies++;
      return;
    }
    case 'mark':
      s.markCount++;
      return;
    case 'error':
      s.errorCount++;
      return;
    case 'end':
      s.end = { code: ev.code, switches: ev.switches, errors: ev.errors };
      return;
    case 'observed':
      // Who will see a greenlet's end changes no state; the findings read it (shared/analysis).
      return;
    case 'named':
      return applyNamed(s, ev);
    default:
      assertNever(ev, 'event kind');
  }
}

/** The greenlet for writing unless it is dead: a dead greenlet cannot wait or wake. */
function live(s: WorkingState, id: number): GreenletRec | null {
  const cur = s.greenlets.get(id);
  if (cur !== undefined && isDead(cur)) {
    s.inconsistencies++;
    return null;
  }
  return greenletForWrite(s, id);
}

function isDead(g: GreenletRec): boolean {
  return g.state === 'dead_ok' || g.state === 'dead_exception';
}

function applySwitch(s: WorkingState, ev: SwitchEvent): void {
  // Switched out without a block: runnable. Blocked or dead greenlets keep
  // their state; that is what they are while not running.
  const leave = (id: number): void => {
    const cur = s.greenlets.get(id);
    if (cur === undefined || cur.state === 'blocked' || isDead(cur) || cur.state === 'runnable') return;
    greenletForWrite(s, id)!.state = 'runnable';
  };
  if (ev.from !== 0) {
    if (!s.greenlets.has(ev.from)) greenletForWrite(s, ev.from);
    leave(ev.from);
  }
  // Only one greenlet runs: if the tracer's `from` disagrees with who was
  // running, the one we thought was running is switched out too.
  if (s.current !== null && s.current !== ev.from && s.current !== ev.to) leave(s.current);
  s.current = ev.to === 0 ? null : ev.to;
  const to = greenletForWrite(s, ev.to);
  if (to === null) return;
  to.switches++;
  to.started = true;
  if (isDead(to)) {
    s.inconsistencies++;
    return;
  }
  to.state = 'running';
  // A throw (kill, Timeout) may wake a blocked greenlet without a `ready`.
  to.blockedOn = null;
}

function applyObject(s: WorkingState, ev: ObjectEvent): void {
  if (ev.obj === 0) return;
  if (s.objects.has(ev.obj)) {
    // A second definition of the same id: keep the first, whose label the
    // user has already seen.
    s.inconsistencies++;
    return;
  }
  const n = (s.okindCounts[ev.okind] ?? 0) + 1;
  s.okindCounts[ev.okind] = n;
  s.objects.set(ev.obj, {
    epoch: s.epoch, id: ev.obj, okind: ev.okind, category: categoryOf(ev.okind),
    className: ev.type === '' ? ev.okind : ev.type, capacity: ev.capacity,
    label: `${ev.okind}#${n}`, items: ItemQueue.empty(), set: false, value: null, exception: null, holders: [],
  });
}

/**
 * The program's name for an object becomes its label; a name an earlier
 * object already has is numbered (`self.done#2`), so every label names one
 * object.
 */
function applyNamed(s: WorkingState, ev: NamedEvent): void {
  const o = objectForWrite(s, ev.obj);
  if (o === null || ev.name === '') return;
  const n = (s.nameCounts.get(ev.name) ?? 0) + 1;
  s.nameCounts.set(ev.name, n);
  o.label = n === 1 ? ev.name : `${ev.name}#${n}`;
}

function applyGet(s: WorkingState, ev: GetEvent): void {
  const o = objectForWrite(s, ev.obj);
  if (o === null) return;
  if (o.items.length === 0) {
    s.inconsistencies++;
    return;
  }
  // A LIFO queue gives up its newest item; the others their oldest (a
  // priority queue's smallest is found by its repr).
  const lifo = o.okind === 'LifoQueue';
  // The usual case first: the end that queue takes from holds the item.
  if (lifo ? o.items.last() === ev.item : o.items.first() === ev.item) {
    if (lifo) o.items.pop();
    else o.items.shift();
    return;
  }
  if (o.items.remove(ev.item, lifo)) return;
  s.inconsistencies++;
  if (lifo) o.items.pop();
  else o.items.shift();
}
