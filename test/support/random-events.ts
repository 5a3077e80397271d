/** Generates plausible random event streams for model property tests. */
import type { TraceEvent } from '../../shared/trace/events';
import { BLOCK_REASONS, OKIND_NAMES, type OKind } from '../../shared/trace/schema';
import { sequence } from './events';
import { randomInt } from './random';
import type { EventInput } from './trace-builder';

export function randomEvents(rand: () => number, count: number, greenlets = 8, objects = 6): TraceEvent[] {
  const out: EventInput[] = [];
  const gid = () => 1 + randomInt(rand, greenlets);
  const oid = () => 1 + randomInt(rand, objects);
  const item = () => `'i${randomInt(rand, 5)}'`;
  for (let id = 1; id <= greenlets; id++) {
    out.push({ kind: 'spawn', g: id, parent: id - 1, gkind: id === 1 ? 'main' : 'gevent', name: '', func: `f${id}`, site: null, stack: [] });
  }
  for (let id = 1; id <= objects; id++) {
    const okind = OKIND_NAMES[1 + randomInt(rand, OKIND_NAMES.length - 1)] as OKind;
    out.push({ kind: 'object', obj: id, okind, capacity: rand() < 0.5 ? null : randomInt(rand, 4), type: okind, site: null, by: 1 });
  }
  while (out.length < count) {
    const pick = randomInt(rand, 12);
    switch (pick) {
      case 0: case 1: case 2: out.push({ kind: 'switch', from: gid(), to: gid(), throw: rand() < 0.1 }); break;
      case 3: out.push({ kind: 'block', g: gid(), reason: BLOCK_REASONS[randomInt(rand, BLOCK_REASONS.length)]!, obj: oid(), timeout: rand() < 0.5 ? null : 0.25, site: null, stack: [] }); break;
      case 4: out.push({ kind: 'ready', g: gid(), by: gid() }); break;
      case 5: out.push({ kind: 'put', obj: oid(), item: item() }); break;
      case 6: out.push({ kind: 'get', obj: oid(), item: item() }); break;
      case 7: out.push(rand() < 0.5 ? { kind: 'acquire', obj: oid(), g: gid() } : { kind: 'release', obj: oid(), g: gid() }); break;
      case 8: out.push(rand() < 0.5 ? { kind: 'set', obj: oid(), value: item() } : { kind: 'clear', obj: oid() }); break;
      case 9: out.push(rand() < 0.5 ? { kind: 'setexc', obj: oid(), error: 'E()' } : { kind: 'qsync', obj: oid(), items: [item(), item()] }); break;
      case 10: out.push(rand() < 0.5 ? { kind: 'mark', label: `m${out.length}` } : { kind: 'error', message: 'x' }); break;
      default:
        if (rand() < 0.1) out.push({ kind: 'exit', g: gid(), flags: { started: true, ready: true, successful: true, killed: false }, value: 'None', error: '' });
        else out.push({ kind: 'exception', g: gid(), type: 'E', message: 'm', traceback: '' });
    }
  }
  return sequence(out);
}
