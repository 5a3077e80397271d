/**
 * Logs every DAP message of a `greenlet` session, both directions, as JSON
 * to the "Greenlet Lens DAP" output channel while greenletLens.logDapTraffic
 * is on (read when a session starts, so turning it on takes effect with the
 * next session). Works for the inline and the executable adapter alike,
 * since trackers see messages on VS Code's side of the connection.
 */

import * as vscode from 'vscode';
import { SETTINGS, SETTINGS_SECTION } from './contributions';
import { formatDapMessage, formatDapNote, type DapDirection } from './dap-log';

export class DapTrafficLogger implements vscode.DebugAdapterTrackerFactory {
  constructor(private readonly channel: vscode.OutputChannel) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const enabled = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(SETTINGS.logDapTraffic, false);
    if (!enabled) return undefined;
    const name = session.name;
    const message = (direction: DapDirection) => (m: unknown): void =>
      this.channel.appendLine(formatDapMessage(direction, name, m, new Date()));
    const note = (text: string): void => this.channel.appendLine(formatDapNote(name, text, new Date()));
    return {
      onWillStartSession: () => note(`session ${session.id} starting (${JSON.stringify(session.configuration)})`),
      onWillReceiveMessage: message('toAdapter'),
      onDidSendMessage: message('fromAdapter'),
      onError: (err: Error) => note(`adapter error: ${err.message}`),
      onExit: (code: number | undefined, signal: string | undefined) =>
        note(`adapter exited (code ${code ?? '-'}, signal ${signal ?? '-'})`),
      onWillStopSession: () => note('session stopping'),
    };
  }
}
