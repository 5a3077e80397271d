/**
 * Entry point of the Greenlet Lens extension (package.json `main`, bundled
 * to dist/extension.js): registers the `greenlet` debug type's providers,
 * adapter factory, traffic logger, commands, the board's panel and the
 * trace files' custom editor. Everything registered is in
 * context.subscriptions, so deactivation has nothing left to undo.
 */

import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../shared/protocol/custom-dap';
import { GreenletAdapterFactory } from './adapter-factory';
import { BoardPanel } from './board-panel';
import { BoardSessions } from './board-sessions';
import { registerCommands, SessionRegistry } from './commands';
import { GreenletConfigurationProvider, GreenletDynamicConfigurationProvider } from './configuration-provider';
import { DAP_LOG_CHANNEL, LOG_CHANNEL } from './contributions';
import { DapTrafficLogger } from './dap-tracker';
import { FindingsDiagnostics } from './findings-diagnostics';
import { ErrorReporter } from './show-error';
import { TraceEditorProvider } from './trace-editor';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL, { log: true });
  const dapLog = vscode.window.createOutputChannel(DAP_LOG_CHANNEL);
  const errors = new ErrorReporter(log);
  const sessions = new SessionRegistry();
  const boardSessions = new BoardSessions();
  const board = new BoardPanel(context.extensionUri, boardSessions, errors);
  const findings = new FindingsDiagnostics(errors);

  context.subscriptions.push(
    log,
    dapLog,
    sessions,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new GreenletConfigurationProvider(errors)),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new GreenletDynamicConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new GreenletAdapterFactory(context.extensionPath, (session) => boardSessions.sinkFor(session))),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, new DapTrafficLogger(dapLog)),
    ...registerCommands(sessions, dapLog, errors),
    boardSessions,
    ...board.register(),
    findings,
    new TraceEditorProvider(context.extensionUri, errors, undefined, (uri) => findings.openTrace(uri)).register(),
  );
}

export function deactivate(): void {
  // Nothing to do: every registration is disposed through context.subscriptions.
}
