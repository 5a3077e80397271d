/**
 * The greenlet commands: "Step to Next Greenlet Switch" (debug toolbar,
 * keybinding, palette), "Run to Greenlet" and "Why Is This Greenlet Not
 * Running?" (Call Stack context menu on a thread), each one custom DAP
 * request of shared/protocol/custom-dap.ts; and "Show DAP Log".
 */

import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../shared/protocol/custom-dap';
import { findRuntimeDir } from '../shared/node/runtime-path';
import { DEFAULT_ATTACH_PORT } from './configurations';
import { COMMANDS, SETTINGS, SETTINGS_SECTION } from './contributions';
import { listenCommand } from './listen-command';
import { CUSTOM_REQUESTS, sendCustomRequest } from './custom-requests';
import { asExtensionError, ExtensionError, ExtensionErrorCode } from './errors';
import type { ErrorReporter } from './show-error';
import { threadTargetFromArgs } from './thread-target';
import { whyDetail } from './why-text';

/**
 * Debug sessions by id, because a Call Stack menu names its session by id
 * and the API only offers the active session.
 */
export class SessionRegistry implements vscode.Disposable {
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => { if (s.type === DEBUG_TYPE) this.sessions.set(s.id, s); }),
      vscode.debug.onDidTerminateDebugSession((s) => this.sessions.delete(s.id)),
    ];
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) this.sessions.set(active.id, active);
  }

  /** The session with this id, else the active greenlet session. */
  find(sessionId: string | undefined): vscode.DebugSession | undefined {
    const byId = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    if (byId !== undefined) return byId;
    const active = vscode.debug.activeDebugSession;
    return active?.type === DEBUG_TYPE ? active : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
  }
}

function noSession(command: string): ExtensionError {
  return new ExtensionError(
    ExtensionErrorCode.NoGreenletSession,
    `Greenlet Lens: "${command}" needs an active Greenlet Lens debug session.`,
  );
}

export function registerCommands(
  sessions: SessionRegistry,
  dapLog: vscode.OutputChannel,
  errors: ErrorReporter,
): vscode.Disposable[] {
  // A failed request rejects; it is shown, and the command itself resolves.
  const requestFailed = (what: string) => (err: unknown): void => {
    const error = asExtensionError(err, ExtensionErrorCode.CustomRequestFailed);
    errors.showLater(
      error.code === ExtensionErrorCode.CustomRequestFailed
        ? new ExtensionError(error.code, `Greenlet Lens: ${what} failed: ${error.message}`)
        : error,
    );
  };

  /** The greenlet a Call Stack menu command is about, and its session; undefined (and said) when there is none. */
  const threadOf = (args: readonly unknown[], title: string): { session: vscode.DebugSession; threadId: number } | undefined => {
    const target = threadTargetFromArgs(args);
    if (target === undefined) {
      errors.showLater(new ExtensionError(
        ExtensionErrorCode.NoThreadSelected,
        `Greenlet Lens: "${title}" runs from a greenlet's context menu in the Call Stack view.`,
      ));
      return undefined;
    }
    const session = sessions.find(target.sessionId);
    if (session === undefined) {
      errors.showLater(noSession(title));
      return undefined;
    }
    return { session, threadId: target.threadId };
  };

  return [
    vscode.commands.registerCommand(COMMANDS.stepSwitch, async () => {
      const session = sessions.find(undefined);
      if (session === undefined) return errors.showLater(noSession('Step to Next Greenlet Switch'));
      await sendCustomRequest(session, CUSTOM_REQUESTS.stepSwitch, {}).then(undefined, requestFailed('stepping to the next switch'));
    }),

    vscode.commands.registerCommand(COMMANDS.runToGreenlet, async (...args: unknown[]) => {
      const target = threadOf(args, 'Run to Greenlet');
      if (target === undefined) return;
      await sendCustomRequest(target.session, CUSTOM_REQUESTS.runToGreenlet, { threadId: target.threadId })
        .then(undefined, requestFailed(`running to greenlet ${target.threadId}`));
    }),

    vscode.commands.registerCommand(COMMANDS.whyNotRunning, async (...args: unknown[]) => {
      const target = threadOf(args, 'Why Is This Greenlet Not Running?');
      if (target === undefined) return;
      const answer = await sendCustomRequest(target.session, CUSTOM_REQUESTS.greenletWhy, { threadId: target.threadId })
        .then((a) => a, (err: unknown) => { requestFailed(`explaining greenlet ${target.threadId}`)(err); return null; });
      if (answer !== null) await vscode.window.showInformationMessage(answer.headline, { modal: true, detail: whyDetail(answer) });
    }),

    vscode.commands.registerCommand(COMMANDS.showDapLog, () => dapLog.show(true)),

    vscode.commands.registerCommand(COMMANDS.copyListenCommand, async () => {
      const runtime = findRuntimeDir(__dirname);
      if (runtime === null) {
        return errors.showLater(new ExtensionError(ExtensionErrorCode.RuntimeMissing, `Greenlet Lens: the Python runtime is missing from the extension (near ${__dirname}); reinstall it.`));
      }
      const doc = vscode.window.activeTextEditor?.document;
      const program = doc !== undefined && doc.uri.scheme === 'file' && doc.languageId === 'python' ? doc.uri.fsPath : 'app.py';
      const python = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(SETTINGS.python) || 'python3';
      const command = listenCommand({ runtimeDir: runtime, python, port: DEFAULT_ATTACH_PORT, program });
      await vscode.env.clipboard.writeText(command);
      void vscode.window.showInformationMessage(
        `Greenlet Lens: copied a command that starts ${program === 'app.py' ? 'app.py (put your program there)' : program} under the debugger, listening on port ${DEFAULT_ATTACH_PORT}. Run it in a terminal, then start the "attach" configuration.`,
      );
    }),
  ];
}
