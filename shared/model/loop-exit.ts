/**
 * gevent's answer to a deadlock: the hub throws LoopExit into the greenlet
 * waiting for it (usually main). Recognised by the exception's qualified
 * type name as the trace records it (`gevent.exceptions.LoopExit`, or
 * `gevent.hub.LoopExit` in older gevent), never from a message or a repr.
 */
export function isLoopExit(type: string): boolean {
  return type === 'LoopExit' || type.endsWith('.LoopExit');
}
