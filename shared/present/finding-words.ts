/**
 * Every sentence the findings say, in one place: each kind's name and what
 * it means, and the one-sentence message of each finding. The lints decide;
 * this module words. Greenlets and objects are named by the model's labels
 * ("g3 consumer", "Queue#1"), lines as "file.py:18".
 */

import type { BlockReason, Frame } from '../trace/events';
import type { FindingKind } from '../analysis/finding';

export interface KindWords {
  /** A few words: a rule's title, a Problems entry's prefix, a group in the Findings tab. */
  readonly summary: string;
  /** What the kind means and why it matters (SARIF's full description, tooltips). */
  readonly explanation: string;
}

export const KIND_WORDS: Readonly<Record<FindingKind, KindWords>> = {
  'deadlock-cycle': {
    summary: 'Deadlock cycle',
    explanation: 'Greenlets wait on each other in a cycle (a lock one holds, a queue only another feeds), so none of them can ever go on.',
  },
  'deadlock-exhaustion': {
    summary: 'Deadlock',
    explanation: 'Every live greenlet is blocked with no timeout, sleep or I/O that the loop could end, so nothing can run again; gevent ends such a program with LoopExit.',
  },
  'never-woken': {
    summary: 'Waiter nobody can wake',
    explanation: 'A greenlet waits on an object that no greenlet still able to run can set, put into or release, so it waits forever even while the rest of the program runs.',
  },
  'leaked-greenlet': {
    summary: 'Leaked greenlet',
    explanation: 'A greenlet was still alive (blocked, runnable or never started) when the program ended, or it returned a value nobody joined, got or linked to.',
  },
  'unobserved-exception': {
    summary: 'Exception nobody observed',
    explanation: 'A greenlet died with an exception that no join() its waiter got past, no get() and no link() looked at; gevent only prints such an exception and the program goes on without the greenlet\'s work.',
  },
  'blocked-loop': {
    summary: 'Blocked loop',
    explanation: 'A greenlet ran without yielding for longer than blockedLoopMs (a blocking call or a long computation), so no other greenlet, timer or I/O callback ran meanwhile.',
  },
  'unbounded-growth': {
    summary: 'Unbounded queue growth',
    explanation: 'A queue without a size limit kept growing: items are put faster than they are taken, and memory and latency grow with it.',
  },
  'slow-wakeup': {
    summary: 'Slow wake-up',
    explanation: 'A greenlet ready to run waited longer than slowWakeupMs for its turn while other greenlets held the loop (starvation).',
  },
  'frequent-timeouts': {
    summary: 'Timeouts fire often',
    explanation: 'A wait with a timeout at one line ends by its timeout in most of its waits: the timeout may be too short, or what it waits for rarely comes.',
  },
};

/** "file.py:18" (the file's last path component). */
export function lineText(site: Frame | null): string {
  if (site === null) return 'an unknown line';
  const slash = Math.max(site.file.lastIndexOf('/'), site.file.lastIndexOf('\\'));
  return `${site.file.slice(slash + 1)}:${site.line}`;
}

/** What a wait is, as a verb phrase: "waits to get from Queue#1". */
export function waitPhrase(reason: BlockReason, target: string | null): string {
  const on = target ?? 'an object it cannot name';
  switch (reason) {
    case 'queue_get': return `waits to get from ${on}`;
    case 'queue_put': return `waits for room to put into ${on}`;
    case 'event_wait': return `waits for ${on} to be set`;
    case 'result_get': return `waits for the value of ${on}`;
    case 'lock_acquire': return `waits to acquire ${on}`;
    case 'join': return target === null ? 'waits for greenlets to end (joinall/wait)' : `waits for ${target} to end`;
    case 'sleep': return 'sleeps';
    case 'io': return 'waits for I/O';
    case 'other': return target === null ? 'waits' : `waits on ${target}`;
  }
}

/** What would end a wait: "put into it". */
export function wakeVerb(reason: BlockReason): string {
  switch (reason) {
    case 'queue_get': return 'put into it';
    case 'queue_put': return 'get from it';
    case 'event_wait':
    case 'result_get': return 'set it';
    case 'lock_acquire': return 'release it';
    default: return 'end the wait';
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const ms = (us: number): string => `${Math.round(us / 1000)} ms`;
const list = (names: readonly string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

export const MESSAGES = {
  deadlockCycle: (greenlets: readonly string[], objects: readonly string[]): string =>
    `${list(greenlets)} wait on each other${objects.length > 0 ? ` through ${objects.join(', ')}` : ''}, so none of them can go on.`,
  deadlockExhaustion: (greenlets: readonly string[]): string =>
    `Every greenlet is blocked and nothing is scheduled (${greenlets.join(', ')}): nothing can run again.`,
  neverWoken: (g: string, wait: string, at: Frame | null, verb: string, gone: readonly string[], proof: 'trace' | 'runtime'): string =>
    proof === 'runtime'
      ? `${g} ${wait} at ${lineText(at)}, but no greenlet that can still run can reach it to ${verb}: it waits forever.`
      : `${g} ${wait} at ${lineText(at)}, but no greenlet that could ${verb} is alive${gone.length > 0 ? ` (${list(gone)} ended)` : ''}: it waits forever.`,
  leakedAlive: (g: string, more: number, doing: string, at: Frame | null): string =>
    `${g}${more > 0 ? ` and ${more} more like it` : ''} ${more > 0 ? 'were' : 'was'} still alive when the program ended: ${more > 0 ? `${g.split(' ')[0]} ` : 'it '}${doing} at ${lineText(at)}.`,
  unreadResult: (g: string, more: number, value: string, spawned: Frame | null): string =>
    `${g}${more > 0 ? ` and ${more} more like it` : ''} (spawned at ${lineText(spawned)}) returned ${more > 0 ? `values (${value}, …)` : value} that nobody joined, got or linked to, and nothing kept the greenlet to read it later.`,
  unobservedException: (g: string, error: string, at: Frame | null, waiters: readonly string[]): string =>
    `${g} died of ${error} at ${lineText(at)} and nobody looked at it${waiters.length > 0 ? ` (${list(waiters)} waited in a join but never got past it)` : ': no join, get() or link saw it, and nothing kept the greenlet to look later'}; gevent only printed it.`,
  blockedLoop: (g: string, us: number, at: Frame | null, live: boolean, count: number): string =>
    `${g} ran ${live ? 'more than' : 'for'} ${ms(us)} without yielding ${live ? 'at' : 'after resuming at'} ${lineText(at)}${count > 1 ? ` (${plural(count, 'time')} here)` : ''}: no other greenlet, timer or I/O ran meanwhile.`,
  unboundedGrowth: (q: string, size: number, peak: number, created: Frame | null): string =>
    `${q} (first used at ${lineText(created)}) holds ${size} items (peak ${peak}) and was never drained: items are put faster than they are taken.`,
  slowWakeup: (g: string, us: number, at: Frame | null, holder: string | null, holderUs: number, holders: number, count: number): string =>
    `${g} was ready to run for ${ms(us)} before it ran, after ${lineText(at)}${count > 1 ? ` (the worst of ${count} slow wake-ups there)` : ''}: ${
      holder === null ? 'only the hub ran meanwhile'
        : holderUs * 2 >= us || holders === 1 ? `${holder} held the loop for ${ms(holderUs)} of it`
          : `${holders} greenlets took turns meanwhile (${holder} ran the longest, ${ms(holderUs)})`}.`,
  frequentTimeouts: (wait: string, at: Frame | null, timeout: number, fires: number, waits: number): string =>
    `The wait at ${lineText(at)} (${wait}, timeout ${timeout} s) timed out ${fires} of ${plural(waits, 'time')}: the timeout may be too short, or what it waits for rarely comes.`,
};

/** The "why is this greenlet not running?" answer. */
export const WHY_WORDS = {
  running: (g: string): string => `${g} is running.`,
  runnable: (g: string, running: string | null): string =>
    `${g} is ready to run and waits for its turn${running === null ? '' : `: ${running} is running`}.`,
  notStarted: (g: string, spawned: Frame | null): string =>
    `${g} has not started yet (spawned at ${lineText(spawned)}): it waits for its first turn.`,
  ended: (g: string, error: string | null): string => (error === null ? `${g} has ended.` : `${g} has ended: it died of ${error}.`),
  waits: (g: string, wait: string, at: Frame | null, timeout: number | null): string =>
    `${g} ${wait} at ${lineText(at)}${timeout === null ? '' : ` (timeout ${timeout} s)`}.`,
  wakesItself: 'It wakes by itself: a sleep, a timeout or I/O ends the wait.',
  canGoOn: 'What it waits for is there: the loop wakes it next.',
  deadlock: 'It can never run again: it is caught in a deadlock.',
  mayStillWake: 'A greenlet that could wake it is still alive.',
  never: (verb: string): string => `It can never run again: nobody alive could ${verb}.`,
  mayWake: (who: string, verb: string): string => `${who} could ${verb}.`,
  unknownWaker: (verb: string): string => `The trace does not say who could ${verb}: any greenlet holding it could.`,
  joinAll: 'It waits in joinall()/wait() for greenlets the trace does not name.',
  waker: (who: string, verb: string, status: string): string => `${who} could ${verb}: it ${status}.`,
  cycleBack: (who: string, verb: string): string => `${who} could ${verb}, but it waits too: the chain closes on itself.`,
};

/** "alive, running" and the like: a greenlet's status in the why-not-running chain. */
export const STATUS_WORDS = {
  running: 'is running',
  runnable: 'is ready to run, waiting for its turn',
  notStarted: 'has not started yet',
  dead: 'has ended',
  deadWith: (error: string): string => `died of ${error}`,
  blocked: 'is blocked',
  inCycle: 'is in a deadlock cycle',
  wakesItself: 'will wake by itself (a sleep, a timeout or I/O)',
  satisfiable: 'can go on: what it waits for is there, the loop wakes it next',
  noWaker: (verb: string): string => `nobody alive could ${verb}`,
  mayWake: (who: string, verb: string): string => `${who} could ${verb}`,
  anyone: (verb: string): string => `any greenlet holding it could ${verb} (the trace cannot say who holds it)`,
};

/** The Debug Console's line when the findings at a stop could not be worked out. */
export function couldNotWorkOutFindings(why: string): string {
  return `Greenlet Lens: could not work out the findings: ${why}`;
}

/** greenletWhy in a replay session: the trace editor's board answers it from the trace. */
export const WHY_NEEDS_LIVE =
  'why a greenlet is not running is worked out for a live program; for a recording, open the trace (its board has a Findings tab and a why-not-running view)';
