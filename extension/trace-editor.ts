/**
 * Trace files (*.glt) open in the board: a read-only custom editor
 * (package.json contributes.customEditors) whose page is webview/html.ts's
 * board booted in replay mode. When the page says `ready` it is sent the
 * file's bytes (trace-editor-stream.ts); the page is not kept while hidden,
 * so shown again it reloads, says `ready`, and is sent the file again.
 * Several editors may show one file; each streams on its own.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import type { BoardBoot } from '../shared/protocol/board-messages';
import { boardPage } from './board-page';
import { showSourceBeside } from './board-sources';
import { routeBoardMessage } from './board-routing';
import { ExtensionError, ExtensionErrorCode } from './errors';
import type { ErrorReporter } from './show-error';
import { bytePieces, filePieces, streamTrace, TRACE_EDITOR_VIEW_TYPE, TRACE_PIECE_SIZE, traceTitle, type StreamResult } from './trace-editor-stream';

class TraceDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // Nothing held: the file is read again for each page load.
  }
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  private readonly webviewRoot: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly errors: ErrorReporter,
    private readonly pieceSize = TRACE_PIECE_SIZE,
    /** Called for each editor opened on a trace (its findings in the Problems view); disposed when it closes. */
    private readonly opened: (uri: vscode.Uri) => vscode.Disposable = () => ({ dispose: () => undefined }),
  ) {
    this.webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  register(): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, this, {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const name = document.uri.fsPath || document.uri.toString();
    const title = traceTitle(name);
    webview.options = { enableScripts: true, localResourceRoots: [this.webviewRoot] };
    /** Bumped on every reload, hide and dispose: a stream of an older generation stops. */
    let generation = 0;
    const open = this.opened(document.uri);
    const subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => {
        // Relative source files: from the workspace folder, else the trace's folder.
        const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? (document.uri.scheme === 'file' ? path.dirname(document.uri.fsPath) : undefined);
        const action = routeBoardMessage(message, { sessionLive: false, stopThread: null, cwd });
        switch (action.kind) {
          case 'ready': {
            const mine = ++generation;
            this.send(document.uri, webview, () => mine !== generation).then((result) => {
              if (result.kind === 'failed') {
                this.errors.showLater(new ExtensionError(ExtensionErrorCode.BoardFailed, `Greenlet Lens: cannot read the trace ${name}: ${result.message}`));
              }
            }, (err: unknown) => this.errors.showLater(err));
            return;
          }
          case 'reveal':
            void showSourceBeside(action.file, action.line, panel.viewColumn, this.errors);
            return;
          case 'error':
            this.errors.showLater(action.error);
            return;
          case 'request':
            return; // routing never asks for a request without a live session
          case 'invalid':
            this.errors.note(new ExtensionError(ExtensionErrorCode.BoardFailed, `ignored a message from the trace board: ${action.why}`));
            return;
          case 'none':
            return;
        }
      }),
      panel.onDidChangeViewState(() => { if (!panel.visible) generation++; }),
      panel.onDidDispose(() => {
        generation++;
        open.dispose();
        for (const s of subscriptions) s.dispose();
      }),
    ];
    const boot: BoardBoot = { source: 'host', mode: 'replay', title };
    webview.html = boardPage(webview, this.webviewRoot, boot, title);
  }

  /** Local files are read piece by piece; other schemes through vscode.workspace.fs. */
  private send(uri: vscode.Uri, webview: vscode.Webview, stop: () => boolean): Promise<StreamResult> {
    const size = this.pieceSize;
    const pieces = uri.scheme === 'file'
      ? filePieces(uri.fsPath, size)
      : (async function* () { yield* bytePieces(await vscode.workspace.fs.readFile(uri), size); })();
    return streamTrace(pieces, (m) => webview.postMessage(m), stop);
  }
}
