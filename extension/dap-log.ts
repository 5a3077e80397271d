/**
 * One line of the "Greenlet Lens DAP" output channel per protocol message,
 * as js-debug and vscode-go log theirs: time, session, direction, the
 * message as JSON. No `vscode` import, so the format is unit-tested.
 */

import { messageOf } from '../shared/errors';

export type DapDirection = 'toAdapter' | 'fromAdapter';

/**
 * Lines longer than this are cut: a channel with multi-megabyte lines (a big
 * variables response, a burst of greenletTrace) becomes unusable, and the
 * head of a message is what identifies it.
 */
export const MAX_LINE_CHARS = 64 * 1024;

export function formatDapMessage(
  direction: DapDirection,
  sessionName: string,
  message: unknown,
  at: Date,
  maxChars = MAX_LINE_CHARS,
): string {
  const arrow = direction === 'toAdapter' ? 'VS Code → adapter' : 'adapter → VS Code';
  return `${timestamp(at)} [${sessionName}] ${arrow}: ${bounded(toJson(message), maxChars)}`;
}

/** Lifecycle lines (start, stop, errors, exit) in the same layout as the messages. */
export function formatDapNote(sessionName: string, note: string, at: Date): string {
  return `${timestamp(at)} [${sessionName}] ${note}`;
}

function timestamp(at: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

function toJson(message: unknown): string {
  try {
    return JSON.stringify(message) ?? String(message);
  } catch (err) {
    // A message that cannot be serialised (a cycle) is still logged, with why.
    return `<unserialisable message: ${messageOf(err)}>`;
  }
}

function bounded(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
}
