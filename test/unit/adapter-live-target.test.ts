import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdapterErrorId, type AdapterError } from '../../debug-adapter/errors';
import type { RuntimeBody } from '../../debug-adapter/runtime/protocol';
import { TypedEmitter } from '../../debug-adapter/runtime/typed-emitter';
import { LiveTarget, SPAWN_FRAME_BASE, type TargetRuntime } from '../../debug-adapter/target/live-target';
import { TraceModel } from '../../shared/model/trace-model';
import { sequence } from '../support/events';
import { SAMPLE } from '../support/sample-trace';

/**
 * A runtime whose ids never repeat within the session (as the real one's):
 * g1 has one frame with a Locals scope; g4 has not run, so it has no frame.
 * It can stop and continue (`fire`), as the real one emits.
 */
class FakeRuntime extends TypedEmitter<{ stopped: unknown; continued: null }> {
  readonly model = new TraceModel();
  readonly varsAsked: number[] = [];
  private nextId = 1;

  constructor() {
    super();
    // Up to the first switch: g3 and g4 are spawned and runnable, neither has run.
    this.model.appendAll(sequence(SAMPLE.slice(0, 12)));
  }

  fire(event: 'stopped' | 'continued'): void {
    this.emit(event, event === 'stopped' ? { reason: 'pause', g: 1, seq: 11 } : null);
  }

  stack = async (g: number): Promise<RuntimeBody<'stack'>> =>
    g === 1 ? { frames: [{ id: this.nextId++, name: '<module>', file: '/app/demo.py', line: 30 }], total: 1 } : { frames: [], total: 0 };

  scopes = async (): Promise<RuntimeBody<'scopes'>> => ({ scopes: [{ name: 'Locals', variablesReference: this.nextId++ }] });

  variables = async (ref: number): Promise<RuntimeBody<'variables'>> => {
    this.varsAsked.push(ref);
    return { variables: [] };
  };
}

const stale = (e: AdapterError): boolean => e.id === AdapterErrorId.StaleId && /is stale: it belongs to an earlier stop/.test(e.message);

/** One stop's ids: g1's frame and its Locals, g4's spawn-site frame. */
async function idsOfOneStop(target: LiveTarget) {
  const frame = (await target.stack(1, 0, 0)).frames[0]!;
  const scopes = await target.scopes(frame.id);
  assert.equal(scopes.g, 1);
  const locals = scopes.scopes.find((s) => s.locals === true)!.ref;
  const spawn = (await target.stack(4, 0, 0)).frames[0]!;
  assert.match(spawn.name, /^g4 consumer-A has not run yet/);
  assert.deepEqual(await target.scopes(spawn.id), { g: 4, scopes: [] }, 'a spawn frame has only the Greenlet scope, which the session adds');
  return { frame: frame.id, locals, spawn: spawn.id };
}

test('frame ids and variable references never repeat across stops; late ones are stale, not another stop\'s data', async () => {
  const runtime = new FakeRuntime();
  const target = new LiveTarget(runtime as unknown as TargetRuntime);
  const stops: unknown[] = [];
  target.on('stopped', (s) => stops.push(s));
  const first = await idsOfOneStop(target);
  assert.ok(first.spawn >= SPAWN_FRAME_BASE);
  runtime.fire('continued');
  runtime.fire('stopped'); // the program ran and stopped again
  assert.equal(stops.length, 1, 'the stop is passed on');
  const second = await idsOfOneStop(target);
  for (const key of ['frame', 'locals', 'spawn'] as const) assert.notEqual(second[key], first[key], `${key} repeated`);

  // Every id of the first stop is refused as stale, and the runtime is not asked about it.
  await assert.rejects(target.scopes(first.spawn), stale);
  await assert.rejects(target.scopes(first.frame), stale);
  await assert.rejects(target.variables(first.locals), stale);
  assert.deepEqual(runtime.varsAsked, []);

  // The new stop's ids work; ids never given are unknown, not stale.
  await target.variables(second.locals);
  assert.deepEqual(runtime.varsAsked, [second.locals]);
  await assert.rejects(target.scopes(SPAWN_FRAME_BASE + 999), (e: AdapterError) => e.id === AdapterErrorId.UnknownId);
  await assert.rejects(target.scopes(999), (e: AdapterError) => e.id === AdapterErrorId.UnknownId);
  await assert.rejects(target.stepSwitch(true), (e: AdapterError) => e.id === AdapterErrorId.InvalidRequest, 'a live program cannot step back');
});

test('a page of the live state holds the views of the whole state at that event, before and after the full state was built and after new events', () => {
  const runtime = new FakeRuntime();
  const target = new LiveTarget(runtime as unknown as TargetRuntime);
  const pages = (size: number) => {
    const out: unknown[] = [];
    let total = 0;
    for (let start = 0; start === 0 || start < total; start += size) {
      const p = target.statePage(start, size);
      total = p.greenletsTotal;
      out.push(...p.state.greenlets);
    }
    return out;
  };
  const paged = pages(2);
  const whole = target.state();
  assert.ok(whole.greenlets.length >= 3, `enough greenlets to page: ${whole.greenlets.length}`);
  assert.deepEqual(paged, whole.greenlets, 'built from the parts, before the whole state');
  assert.deepEqual(pages(2), whole.greenlets, 'sliced from the whole state once built');
  assert.deepEqual(target.statePage(0, 1).state.queues, whole.queues, 'objects whole with every page');
  // New events: the next page is of the new state, not of the parts kept for the old one.
  const more = sequence(SAMPLE.slice(0, 16)).slice(12);
  runtime.model.appendAll(more);
  const after = pages(2);
  assert.notDeepEqual(after, paged, 'the events changed some greenlet');
  assert.deepEqual(after, target.state().greenlets);
});
