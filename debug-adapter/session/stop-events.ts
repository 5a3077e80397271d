/**
 * A stop as VS Code shows it. DAP's stop reasons are few, so the
 * greenlet-specific ones borrow the closest: a switch step is a 'step'
 * whose description names the switch, a deadlock is an 'exception' (VS Code
 * then shows its waits in the exception widget), a blocked loop is a
 * 'pause'. The words are shared/present/stop-words.ts's.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceState } from '../../shared/model/state';
import { stopWords } from '../../shared/present/stop-words';
import type { StopInfo, StopReason } from '../../shared/protocol/stop';

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

export function stoppedEventBody(stop: StopInfo, state: TraceState): DebugProtocol.StoppedEvent['body'] {
  const words = stopWords(stop, state);
  const body: DebugProtocol.StoppedEvent['body'] = {
    reason: DAP_REASON[stop.reason],
    description: words.description,
    threadId: stop.g,
    allThreadsStopped: true,
  };
  if (words.text !== '') body.text = words.text;
  // No line of the program's own to show (a step into the hub, a pause while the loop waits): keep the editor as it is.
  if (stop.userCode === false) body.preserveFocusHint = true;
  return body;
}

/** Whether the stop is an exception to DAP (an exception or a deadlock), the only stops exceptionInfo answers for. */
export function isExceptionStop(stop: StopInfo): boolean {
  return DAP_REASON[stop.reason] === 'exception';
}

/** For a stop on an exception or a deadlock (isExceptionStop): the exception widget's contents. */
export function exceptionInfoBody(stop: StopInfo, state: TraceState): DebugProtocol.ExceptionInfoResponse['body'] {
  const words = stopWords(stop, state);
  if (stop.reason === 'deadlock') {
    return {
      exceptionId: 'Deadlock',
      description: words.text !== '' ? words.text : words.description,
      breakMode: 'always',
      details: { typeName: 'Deadlock', message: words.description },
    };
  }
  const info = state.greenlets.find((g) => g.id === stop.g)?.exceptionInfo ?? null;
  const typeName = info?.type ?? stop.exception ?? 'Exception';
  const message = words.text !== '' ? words.text : words.description;
  const details: DebugProtocol.ExceptionDetails = { typeName, message };
  if (info !== null && info.traceback !== '') details.stackTrace = info.traceback;
  return { exceptionId: typeName, description: message, breakMode: 'unhandled', details };
}
