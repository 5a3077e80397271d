/**
 * Every failure the extension reports, with a stable code so tests and the
 * log can branch on `code` instead of parsing text. No `vscode` import here:
 * the pure modules build these errors and are unit-tested under plain Node;
 * show-error.ts is the thin part that puts them on screen. Nothing is
 * swallowed: each error is either shown to the user or (for a fallback that
 * still works) written to the "Greenlet Lens" log.
 */

import { CodedError, messageOf } from '../shared/errors';

export enum ExtensionErrorCode {
  /** F5 without launch.json, and the active editor is not a saved Python file. */
  NoPythonFile = 'NoPythonFile',
  /** A launch/attach attribute has the wrong type or an impossible value. */
  InvalidConfiguration = 'InvalidConfiguration',
  /** The chosen Python interpreter could not be run at all. */
  PythonNotFound = 'PythonNotFound',
  /** The interpreter runs but can import neither gevent nor greenlet. */
  GeventMissing = 'GeventMissing',
  /** The Python extension is installed but its API failed; a fallback interpreter is used. */
  PythonExtensionFailed = 'PythonExtensionFailed',
  /** greenletLens.inlineAdapter is off and dist/adapter.js is not there. */
  AdapterMissing = 'AdapterMissing',
  /** A greenlet command ran while no greenlet debug session is active. */
  NoGreenletSession = 'NoGreenletSession',
  /** runToGreenlet ran without a thread from the Call Stack view. */
  NoThreadSelected = 'NoThreadSelected',
  /** The adapter answered a custom request with an error. */
  CustomRequestFailed = 'CustomRequestFailed',
  /** The board reported a failure of its own (a trace it could not draw, a defect). */
  BoardFailed = 'BoardFailed',
  /** dist/webview/board.js is not there (the extension was not built). */
  BoardMissing = 'BoardMissing',
  /** The board asked to show a greenlet's line and the file could not be opened. */
  RevealFailed = 'RevealFailed',
  /** The runtime-instrumentation folder (the greenlet_lens package) is not in the extension. */
  RuntimeMissing = 'RuntimeMissing',
  /** The findings of a trace opened in the trace editor could not be worked out (Problems view). */
  FindingsFailed = 'FindingsFailed',
  /** A defect in the extension itself; reported instead of failing silently. */
  Internal = 'Internal',
}

/** A button offered next to an error message. */
export type ErrorAction =
  | { readonly kind: 'copy'; readonly label: string; readonly text: string }
  | { readonly kind: 'openSettings'; readonly label: string; readonly query: string };

export class ExtensionError extends CodedError<ExtensionErrorCode> {
  override readonly name = 'ExtensionError';

  constructor(
    code: ExtensionErrorCode,
    message: string,
    readonly actions: readonly ErrorAction[] = [],
  ) {
    super(code, message);
  }
}

/** Normalises anything thrown into an ExtensionError, keeping the original message. */
export function asExtensionError(err: unknown, fallback: ExtensionErrorCode): ExtensionError {
  if (err instanceof ExtensionError) return err;
  return new ExtensionError(fallback, messageOf(err));
}
