/**
 * A small producer/consumer program's trace, touching every event kind.
 * Shared by decoder, model and CLI tests.
 */
import type { Frame } from '../../shared/trace/events';
import { TraceBuilder, type EventInput } from './trace-builder';

const site = (line: number, fn: string): Frame => ({ file: '/app/demo.py', line, function: fn });
const stackAt = (line: number, fn: string): Frame[] => [site(line, fn), site(40, '<module>')];
const flags = (started: boolean, ready: boolean, successful: boolean, killed = false) => ({ started, ready, successful, killed });

/** Queue is obj 1, Event obj 2, Lock obj 3, AsyncResult obj 4. */
export const SAMPLE: EventInput[] = [
  { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<module>', site: null, stack: [] },
  { kind: 'spawn', g: 2, parent: 1, gkind: 'hub', name: 'Hub', func: 'Hub.run', site: null, stack: [] },
  { kind: 'object', obj: 1, okind: 'Queue', capacity: 2, type: 'Queue', site: site(10, '<module>'), by: 1 },
  { kind: 'object', obj: 2, okind: 'Event', capacity: null, type: 'Event', site: site(11, '<module>'), by: 1 },
  { kind: 'object', obj: 3, okind: 'Lock', capacity: 1, type: 'Lock', site: site(12, '<module>'), by: 1 },
  { kind: 'object', obj: 4, okind: 'AsyncResult', capacity: null, type: 'AsyncResult', site: null, by: 1 },
  { kind: 'spawn', g: 3, parent: 1, gkind: 'gevent', name: '', func: 'producer', site: site(20, '<module>'), stack: stackAt(20, '<module>') },
  { kind: 'ready', g: 3, by: 1 },
  { kind: 'spawn', g: 4, parent: 1, gkind: 'gevent', name: 'consumer-A', func: 'consumer', site: site(21, '<module>'), stack: stackAt(21, '<module>') },
  { kind: 'ready', g: 4, by: 1 },
  { kind: 'mark', label: 'spawned — ünïcode ✓' },
  { kind: 'block', g: 1, reason: 'join', obj: 4, timeout: null, site: site(30, '<module>'), stack: stackAt(30, '<module>') },
  { kind: 'switch', from: 1, to: 2, throw: false },
  { kind: 'switch', from: 2, to: 3, throw: false, t: 5000 },
  { kind: 'acquire', obj: 3, g: 3 },
  { kind: 'put', obj: 1, item: "'a'" },
  { kind: 'put', obj: 1, item: "'b'" },
  { kind: 'block', g: 3, reason: 'queue_put', obj: 1, timeout: 2.5, site: site(50, 'producer'), stack: stackAt(50, 'producer') },
  { kind: 'switch', from: 3, to: 2, throw: false },
  { kind: 'switch', from: 2, to: 4, throw: false },
  { kind: 'get', obj: 1, item: "'a'" },
  { kind: 'ready', g: 3, by: 4 },
  { kind: 'block', g: 4, reason: 'event_wait', obj: 2, timeout: null, site: site(60, 'consumer'), stack: stackAt(60, 'consumer') },
  { kind: 'switch', from: 4, to: 2, throw: false },
  { kind: 'switch', from: 2, to: 3, throw: false },
  { kind: 'put', obj: 1, item: "'c'" },
  { kind: 'qsync', obj: 1, items: ["'b'", "'c'"] },
  { kind: 'release', obj: 3, g: 3 },
  { kind: 'set', obj: 2, value: '' },
  { kind: 'ready', g: 4, by: 3 },
  { kind: 'exception', g: 3, type: 'ValueError', message: 'bad item', traceback: 'Traceback (most recent call last):\n  File "/app/demo.py", line 55, in producer\nValueError: bad item\n' },
  { kind: 'exit', g: 3, flags: flags(true, true, false), value: '', error: "ValueError('bad item')" },
  { kind: 'switch', from: 3, to: 2, throw: false },
  { kind: 'clear', obj: 2 },
  { kind: 'setexc', obj: 4, error: 'KeyError(1)' },
  { kind: 'set', obj: 4, value: '42' },
  { kind: 'error', message: 'hook failed: patched Queue.peek' },
  { kind: 'switch', from: 2, to: 4, throw: true },
  { kind: 'exit', g: 4, flags: flags(true, true, true, true), value: 'GreenletExit()', error: '' },
  { kind: 'ready', g: 1, by: 2 },
  { kind: 'switch', from: 4, to: 1, throw: false },
  { kind: 'end', code: -3, switches: 9, errors: 1 },
];

/** The sample as bytes, flushed into chunks every `perChunk` events. */
export function sampleBytes(perChunk = 7, inputs: readonly EventInput[] = SAMPLE): Uint8Array {
  const b = new TraceBuilder();
  inputs.forEach((ev, i) => {
    b.add(ev);
    if ((i + 1) % perChunk === 0) b.flush();
  });
  return b.bytes();
}
