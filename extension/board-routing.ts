/**
 * What the extension does with a message from the board: everything the
 * webview posts is checked here (it is untrusted input drawn from program
 * data), then turned into one action for board-panel.ts to carry out.
 * No `vscode` import.
 */

import * as path from 'path';
import { isBoardToHost, type BoardCommand } from '../shared/protocol/board-messages';
import { ExtensionError, ExtensionErrorCode } from './errors';

export type BoardAction =
  /** The board loaded: replay the session to it. */
  | { readonly kind: 'ready' }
  /** The board has used this many bytes of the session since it loaded: send it more. */
  | { readonly kind: 'consumed'; readonly bytes: number }
  /** A DAP request to the session: the custom stepSwitch, or the standard continue/pause. */
  | { readonly kind: 'request'; readonly command: BoardCommand; readonly args: { threadId: number } }
  /** Open `file` with line `line` (0-based) selected. */
  | { readonly kind: 'reveal'; readonly file: string; readonly line: number }
  /** Show this error to the user. */
  | { readonly kind: 'error'; readonly error: ExtensionError }
  /** Nothing to do (a greenlet without a known source line); `why` is for the log. */
  | { readonly kind: 'none'; readonly why: string }
  /** Not a message this host understands; logged, never acted on. */
  | { readonly kind: 'invalid'; readonly why: string };

export interface RoutingContext {
  /** A greenlet session is attached to the board and has not ended. */
  readonly sessionLive: boolean;
  /** The thread of the latest stop (continue and pause need a threadId; the adapter ignores its value). */
  readonly stopThread: number | null;
  /** The program's working directory, for relative file names. */
  readonly cwd: string | undefined;
}

const COMMANDS: readonly BoardCommand[] = ['continue', 'pause', 'stepSwitch'];
const MAX_ERROR_TEXT = 500;
/** Thread id used when there was no stop yet: the main greenlet; the adapter applies pause/continue to the whole program. */
export const DEFAULT_THREAD = 1;

const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

export function routeBoardMessage(message: unknown, ctx: RoutingContext): BoardAction {
  if (!isBoardToHost(message)) return { kind: 'invalid', why: `unknown board message ${describe(message)}` };
  const m = message as unknown as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { kind: 'ready' };
    case 'consumed': {
      const bytes = m['bytes'];
      if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return { kind: 'invalid', why: `consumed ${describe(bytes)} bytes` };
      return { kind: 'consumed', bytes };
    }
    case 'command': {
      const command = m['command'];
      if (!COMMANDS.includes(command as BoardCommand)) return { kind: 'invalid', why: `unknown board command ${describe(command)}` };
      if (!ctx.sessionLive) {
        return {
          kind: 'error',
          error: new ExtensionError(ExtensionErrorCode.NoGreenletSession, 'Greenlet Lens: the board\'s controls need a running Greenlet Lens debug session.'),
        };
      }
      return { kind: 'request', command: command as BoardCommand, args: { threadId: ctx.stopThread ?? DEFAULT_THREAD } };
    }
    case 'revealGreenlet': {
      const { file, line, g } = m;
      if (typeof g !== 'number' || (file !== null && typeof file !== 'string') || (line !== null && typeof line !== 'number')) {
        return { kind: 'invalid', why: 'revealGreenlet needs g (number), file (string|null) and line (number|null)' };
      }
      if (file === null || file === '' || line === null) return { kind: 'none', why: `greenlet ${g} has no source line` };
      if (!isLine(line)) return { kind: 'invalid', why: `revealGreenlet line ${describe(line)}` };
      // Frames of generated code ("<string>", "<frozen importlib._bootstrap>") have no file to open.
      if (/^<.*>$/.test(file)) return { kind: 'none', why: `greenlet ${g} runs in ${file}` };
      const resolved = path.isAbsolute(file) ? file : ctx.cwd !== undefined ? path.resolve(ctx.cwd, file) : null;
      if (resolved === null) return { kind: 'none', why: `relative file ${file} without a working directory` };
      return { kind: 'reveal', file: resolved, line: line - 1 };
    }
    case 'error': {
      const text = typeof m['message'] === 'string' ? m['message'] : describe(m['message']);
      const bounded = text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
      return { kind: 'error', error: new ExtensionError(ExtensionErrorCode.BoardFailed, `Greenlet Lens board: ${bounded}`) };
    }
  }
}

function describe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
}
