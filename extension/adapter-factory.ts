/**
 * Where the `greenlet` debug adapter runs. By default inside the extension
 * host (greenletLens.inlineAdapter): no process to start, it works the same
 * in VS Code desktop, code-server and remote hosts, and the adapter can be
 * debugged together with the extension. Turned off, it is `node
 * dist/adapter.js`, isolated from the extension host. The command is the
 * literal `node`, as package.json's `runtime: node` produces: VS Code then
 * forks the adapter with its own runtime (Electron run as Node on desktop,
 * the server's Node in code-server), so no `node` on PATH is needed, which
 * `process.execPath` alone would not guarantee on desktop.
 */

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { GreenletDebugSession } from '../debug-adapter/session/debug-session';
import type { BoardStreamSink } from '../shared/protocol/custom-dap';
import { SETTINGS, SETTINGS_SECTION } from './contributions';
import { ExtensionError, ExtensionErrorCode } from './errors';

export class GreenletAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  /** `boardSink`: where an inline adapter hands over the board's stream (BoardSessions.sinkFor); without it, as DAP events. */
  constructor(private readonly extensionPath: string, private readonly boardSink?: (session: vscode.DebugSession) => BoardStreamSink) {}

  createDebugAdapterDescriptor(
    session: vscode.DebugSession,
    executable: vscode.DebugAdapterExecutable | undefined,
  ): vscode.DebugAdapterDescriptor {
    const inline = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(SETTINGS.inlineAdapter, true);
    if (inline) {
      const adapter = new GreenletDebugSession();
      if (this.boardSink !== undefined) adapter.streamBoardTo(this.boardSink(session));
      return new vscode.DebugAdapterInlineImplementation(adapter);
    }
    const adapter = path.join(this.extensionPath, 'dist', 'adapter.js');
    if (!fs.existsSync(adapter)) {
      // Thrown, not returned as undefined: VS Code would fall back to the same
      // missing executable; a thrown error is shown and ends the launch.
      throw new ExtensionError(
        ExtensionErrorCode.AdapterMissing,
        `Greenlet Lens: the debug adapter ${adapter} is missing (run "npm run build"), ` +
          `or turn ${SETTINGS_SECTION}.${SETTINGS.inlineAdapter} back on.`,
      );
    }
    // VS Code already built this from package.json's `program`/`runtime`; fall back to the same shape.
    return executable ?? new vscode.DebugAdapterExecutable('node', [adapter]);
  }
}
