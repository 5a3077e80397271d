import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdapterErrorId, type AdapterError } from '../../debug-adapter/errors';
import { Inspector, SPAWN_FRAME_BASE, type InspectedRuntime } from '../../debug-adapter/session/inspector';
import type { RuntimeBody } from '../../debug-adapter/runtime/protocol';
import { TraceModel } from '../../shared/model/trace-model';
import { sequence } from '../support/events';
import { SAMPLE } from '../support/sample-trace';

/**
 * A runtime whose ids never repeat within the session (as the real one's):
 * g1 has one frame with a Locals scope; g4 has not run, so it has no frame.
 */
function fakeRuntime(): InspectedRuntime & { varsAsked: number[] } {
  const model = new TraceModel();
  // Up to the first switch: g3 and g4 are spawned and runnable, neither has run.
  model.appendAll(sequence(SAMPLE.slice(0, 12)));
  let nextId = 1;
  const varsAsked: number[] = [];
  return {
    model,
    varsAsked,
    stack: async (g: number): Promise<RuntimeBody<'stack'>> =>
      g === 1 ? { frames: [{ id: nextId++, name: '<module>', file: '/app/demo.py', line: 30 }], total: 1 } : { frames: [], total: 0 },
    scopes: async (): Promise<RuntimeBody<'scopes'>> => ({ scopes: [{ name: 'Locals', variablesReference: nextId++ }] }),
    variables: async (ref: number): Promise<RuntimeBody<'variables'>> => {
      varsAsked.push(ref);
      return { variables: [] };
    },
  };
}

const stale = (e: AdapterError): boolean => e.id === AdapterErrorId.StaleId && /is stale: it belongs to an earlier stop/.test(e.message);

/** One stop's ids: g1's frame and its Locals, g4's spawn-site frame and its Greenlet scope. */
async function idsOfOneStop(inspector: Inspector) {
  const frame = (await inspector.stackTrace({ threadId: 1 })).stackFrames[0]!;
  const locals = (await inspector.scopes({ frameId: frame.id })).scopes.find((s) => s.name === 'Locals')!.variablesReference;
  const spawn = (await inspector.stackTrace({ threadId: 4 })).stackFrames[0]!;
  assert.match(spawn.name, /^g4 consumer-A has not run yet/);
  const greenlet = (await inspector.scopes({ frameId: spawn.id })).scopes[0]!.variablesReference;
  return { frame: frame.id, locals, spawn: spawn.id, greenlet };
}

test('frame ids and variable references never repeat across stops; late ones are stale, not another stop\'s data', async () => {
  const runtime = fakeRuntime();
  const inspector = new Inspector(runtime, { toClient: (line) => line });
  const first = await idsOfOneStop(inspector);
  assert.ok(first.spawn >= SPAWN_FRAME_BASE);
  inspector.invalidate(); // the program ran and stopped again
  const second = await idsOfOneStop(inspector);
  for (const key of ['frame', 'locals', 'spawn', 'greenlet'] as const) assert.notEqual(second[key], first[key], `${key} repeated`);

  // Every id of the first stop is refused as stale, and the runtime is not asked about it.
  await assert.rejects(inspector.scopes({ frameId: first.spawn }), stale);
  await assert.rejects(inspector.scopes({ frameId: first.frame }), stale);
  await assert.rejects(inspector.variables({ variablesReference: first.greenlet }), stale);
  await assert.rejects(inspector.variables({ variablesReference: first.locals }), stale);
  assert.deepEqual(runtime.varsAsked, []);

  // The second stop's ids work; ids never given are unknown, not stale.
  assert.ok((await inspector.variables({ variablesReference: second.greenlet })).variables.some((v) => v.name === 'state' && v.value === 'runnable'));
  await inspector.variables({ variablesReference: second.locals });
  assert.deepEqual(runtime.varsAsked, [second.locals]);
  await assert.rejects(inspector.scopes({ frameId: SPAWN_FRAME_BASE + 999 }), (e: AdapterError) => e.id === AdapterErrorId.UnknownId);
  await assert.rejects(inspector.scopes({ frameId: 999 }), (e: AdapterError) => e.id === AdapterErrorId.UnknownId);
});
