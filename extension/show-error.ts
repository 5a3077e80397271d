/**
 * Puts an ExtensionError on screen, with its buttons, and into the
 * "Greenlet Lens" log with its code, so a report that only has the log
 * still says what failed. The one place the extension shows errors.
 */

import * as vscode from 'vscode';
import { asExtensionError, ExtensionErrorCode, type ExtensionError } from './errors';

export class ErrorReporter {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Shows the error; resolves once the user dismissed it or used one of its buttons. */
  async show(err: unknown, fallback: ExtensionErrorCode = ExtensionErrorCode.Internal): Promise<void> {
    const error = asExtensionError(err, fallback);
    this.log.error(`[${error.code}] ${error.message}`);
    const labels = error.actions.map((a) => a.label);
    const picked = await vscode.window.showErrorMessage(error.message, ...labels);
    const action = error.actions.find((a) => a.label === picked);
    if (action === undefined) return;
    if (action.kind === 'copy') await vscode.env.clipboard.writeText(action.text);
    else await vscode.commands.executeCommand('workbench.action.openSettings', action.query);
  }

  /** Shows the error without waiting for the user (command handlers return at once). */
  showLater(err: unknown, fallback?: ExtensionErrorCode): void {
    this.show(err, fallback).then(undefined, (failure: unknown) => {
      // Showing a message failed (the window is closing): the log keeps it.
      this.log.error(`could not show an error: ${String(failure)}`);
    });
  }

  /** A problem with a working fallback: logged, not shown, so it never interrupts a launch. */
  note(error: ExtensionError): void {
    this.log.warn(`[${error.code}] ${error.message}`);
  }
}
