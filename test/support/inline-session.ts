/**
 * The adapter as the extension runs it: `new GreenletDebugSession()` inline,
 * messages in and out as objects, no stdio; every message it sends kept.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GreenletDebugSession } from '../../debug-adapter/session/debug-session';

export function inlineSession() {
  const session = new GreenletDebugSession();
  const out: DebugProtocol.ProtocolMessage[] = [];
  const waiting = new Map<number, (r: DebugProtocol.Response) => void>();
  const eventWaiters: { name: string; resolve: (e: DebugProtocol.Event) => void }[] = [];
  session.onDidSendMessage((m) => {
    const msg = m as DebugProtocol.ProtocolMessage;
    out.push(msg);
    if (msg.type === 'response') waiting.get((msg as DebugProtocol.Response).request_seq)?.((msg as DebugProtocol.Response));
    if (msg.type === 'event') {
      const event = msg as DebugProtocol.Event;
      for (const w of eventWaiters.filter((x) => x.name === event.event)) {
        eventWaiters.splice(eventWaiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  let seq = 1;
  const request = (command: string, args: object = {}): Promise<DebugProtocol.Response> =>
    new Promise((resolve) => {
      const s = seq++;
      waiting.set(s, resolve);
      session.handleMessage({ type: 'request', seq: s, command, arguments: args } as DebugProtocol.Request);
    });
  /** The next event of this name sent from now on. */
  const event = (name: string): Promise<DebugProtocol.Event> => new Promise((resolve) => eventWaiters.push({ name, resolve }));
  return { session, out, request, event };
}
