/**
 * Finding the greenlet a "Run to Greenlet" command is about from the
 * arguments VS Code passes to a `debug/callstack/context` menu command:
 * first the DAP thread id (a number, but left out when it is 0, because
 * VS Code only forwards a truthy menu argument), then a context object
 * `{sessionId, threadId: "thread:<sessionId>:<dapThreadId>", frameId?}`.
 * Programmatic callers (the board, tests) may pass `{threadId: number,
 * sessionId?}` instead. No `vscode` import.
 */

export interface ThreadTarget {
  /** The DAP thread id, equal to the greenlet id. */
  readonly threadId: number;
  /** The debug session the thread belongs to, when the caller said. */
  readonly sessionId?: string;
}

const THREAD_ELEMENT_ID = /^thread:(.*):(\d+)$/;

export function threadTargetFromArgs(args: readonly unknown[]): ThreadTarget | undefined {
  let threadId: number | undefined;
  let sessionId: string | undefined;
  for (const arg of args) {
    if (typeof arg === 'number' && isThreadId(arg)) {
      threadId ??= arg;
    } else if (typeof arg === 'object' && arg !== null) {
      const record = arg as Record<string, unknown>;
      const id = record['threadId'];
      if (typeof id === 'number' && isThreadId(id)) threadId ??= id;
      else if (typeof id === 'string') {
        const match = THREAD_ELEMENT_ID.exec(id);
        if (match !== null) {
          threadId ??= Number(match[2]);
          sessionId ??= match[1];
        }
      }
      if (typeof record['sessionId'] === 'string') sessionId = record['sessionId'];
    }
  }
  if (threadId === undefined) return undefined;
  return sessionId === undefined ? { threadId } : { threadId, sessionId };
}

function isThreadId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
