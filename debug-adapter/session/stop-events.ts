/**
 * A runtime stop as VS Code shows it. DAP's stop reasons are few, so the
 * greenlet-specific ones borrow the closest: a switch step is a 'step' whose
 * description names the switch, a deadlock is an 'exception' (VS Code then
 * shows its waits in the exception widget), a blocked loop is a 'pause'.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceState } from '../../shared/model/state';
import type { StopInfo } from '../runtime/live-runtime';
import type { StopReason } from '../runtime/protocol';

const DAP_REASON: Readonly<Record<StopReason, DebugProtocol.StoppedEvent['body']['reason']>> = {
  entry: 'entry',
  step: 'step',
  switch: 'step',
  breakpoint: 'breakpoint',
  pause: 'pause',
  exception: 'exception',
  deadlock: 'exception',
  blocked: 'pause',
};

const DEFAULT_DESCRIPTION: Readonly<Record<StopReason, string>> = {
  entry: 'Paused on entry',
  step: 'Paused after a step',
  switch: 'Paused before a switch',
  breakpoint: 'Paused on breakpoint',
  pause: 'Paused',
  exception: 'Paused on exception',
  deadlock: 'Deadlock',
  blocked: 'Blocked loop',
};

/** The description VS Code shows in the Call Stack view and the exception widget's title. */
export function stopDescription(stop: StopInfo): string {
  const d = stop.description.trim();
  if (d === '') return DEFAULT_DESCRIPTION[stop.reason];
  if (stop.reason === 'deadlock' && !/^deadlock\b/i.test(d)) return `Deadlock: ${d}`;
  if (stop.reason === 'blocked' && !/^blocked loop\b/i.test(d)) return `Blocked loop: ${d}`;
  return d;
}

export function stoppedEventBody(stop: StopInfo): DebugProtocol.StoppedEvent['body'] {
  const body: DebugProtocol.StoppedEvent['body'] = {
    reason: DAP_REASON[stop.reason],
    description: stopDescription(stop),
    threadId: stop.g,
    allThreadsStopped: true,
  };
  if (stop.text !== '') body.text = stop.text;
  return body;
}

/** Whether the stop is an exception to DAP (an exception or a deadlock), the only stops exceptionInfo answers for. */
export function isExceptionStop(stop: StopInfo): boolean {
  return DAP_REASON[stop.reason] === 'exception';
}

/** For a stop on an exception or a deadlock (isExceptionStop): the exception widget's contents. */
export function exceptionInfoBody(stop: StopInfo, state: TraceState): DebugProtocol.ExceptionInfoResponse['body'] {
  if (stop.reason === 'deadlock') {
    return {
      exceptionId: 'Deadlock',
      description: stop.text !== '' ? stop.text : stopDescription(stop),
      breakMode: 'always',
      details: { typeName: 'Deadlock', message: stopDescription(stop) },
    };
  }
  const info = state.greenlets.find((g) => g.id === stop.g)?.exceptionInfo ?? null;
  const typeName = info?.type ?? firstWord(stop.text) ?? 'Exception';
  const message = info !== null ? `${info.type}: ${info.message}` : stop.text !== '' ? stop.text : stopDescription(stop);
  const details: DebugProtocol.ExceptionDetails = { typeName, message };
  if (info !== null && info.traceback !== '') details.stackTrace = info.traceback;
  return { exceptionId: typeName, description: message, breakMode: 'unhandled', details };
}

function firstWord(text: string): string | undefined {
  const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(text.trim());
  return m?.[1];
}
