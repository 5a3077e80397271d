/**
 * The board's webview panel ("Greenlet Lens"): opened beside the editor when
 * a greenlet session starts (greenletLens.openBoardOnSessionStart) or by the
 * Open/Reveal Board commands, restored after a reload by its serializer. The
 * page is webview/html.ts's; what it is fed is board-feed.ts's, what it asks
 * for is decided by board-routing.ts. The page is not kept while hidden
 * (retainContextWhenHidden off): it reloads, says `ready`, and is replayed
 * the session, while its own view state comes back through setState.
 */

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BoardBoot, HostToBoard } from '../shared/protocol/board-messages';
import { boardPage } from './board-page';
import { keepSourcesOffBoard, showSourceBeside } from './board-sources';
import type { SessionFeed } from './board-feed';
import { routeBoardMessage, type BoardAction } from './board-routing';
import type { BoardSessions, CurrentSession } from './board-sessions';
import { BOARD_TITLE, BOARD_VIEW_TYPE, COMMANDS, SETTINGS, SETTINGS_SECTION } from './contributions';
import { CUSTOM_REQUESTS, sendCustomRequest } from './custom-requests';
import { asExtensionError, ExtensionError, ExtensionErrorCode } from './errors';
import { persistedSession } from '../webview/state/persist';
import { bytePieces } from './trace-editor-stream';
import type { ErrorReporter } from './show-error';

export class BoardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  /** The feed the page is listening to (after its `ready`). */
  private connected: SessionFeed | undefined;
  private missingReported = false;
  private readonly webviewRoot: vscode.Uri;
  /** What a board restored after a window reload was showing (its saved state), until a session is shown. */
  private restored: { session?: string; trace?: string } | null = null;

  constructor(
    extensionUri: vscode.Uri,
    private readonly sessions: BoardSessions,
    private readonly errors: ErrorReporter,
  ) {
    this.webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  /** The serializer, the commands and the open-on-start behaviour. */
  register(): vscode.Disposable[] {
    return [
      vscode.window.registerWebviewPanelSerializer(BOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          this.restored = persistedSession(state);
          this.adopt(panel);
        },
      }),
      // A thread (or frame) selected in the Call Stack selects its greenlet on the board.
      vscode.debug.onDidChangeActiveStackItem((item) => {
        const current = this.sessions.current();
        if (item === undefined || current?.session === undefined || item.session.id !== current.session.id || this.connected !== current.feed) return;
        void this.panel?.webview.postMessage({ type: 'select', g: item.threadId } satisfies HostToBoard);
      }),
      keepSourcesOffBoard(() => this.panel?.viewColumn, () => this.sessions.current()?.live === true,
        () => this.panel?.reveal(this.panel.viewColumn, true), this.errors),
      vscode.commands.registerCommand(COMMANDS.openBoard, () => this.open(vscode.ViewColumn.Beside, false)),
      vscode.commands.registerCommand(COMMANDS.revealBoard, () => this.open(this.panel?.viewColumn ?? vscode.ViewColumn.Beside, false)),
      this.sessions.onDidFocusSession(() => this.load()),
      this.sessions.onDidStartSession(() => {
        if (this.panel !== undefined) this.load();
        else if (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(SETTINGS.openBoardOnSessionStart, true)) {
          this.open(vscode.ViewColumn.Beside, true);
        }
      }),
      this,
    ];
  }

  /** Shows the board, creating it if needed. */
  open(column: vscode.ViewColumn, preserveFocus: boolean): void {
    if (this.panel !== undefined) {
      this.panel.reveal(column, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_VIEW_TYPE, BOARD_TITLE, { viewColumn: column, preserveFocus }, this.options());
    this.adopt(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    this.release();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.webviewRoot], retainContextWhenHidden: false };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    if (this.panel !== undefined && this.panel !== panel) this.panel.dispose();
    this.release();
    this.panel = panel;
    panel.title = BOARD_TITLE;
    panel.webview.options = this.options();
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      // Hidden, the page is destroyed; shown again it reloads and says `ready`.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.disconnect(); }),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.release();
          this.panel = undefined;
        }
      }),
    ];
    this.load();
  }

  /** (Re)writes the page for the current session; the page then says `ready`. */
  private load(): void {
    const panel = this.panel;
    if (panel === undefined) return;
    this.disconnect();
    this.checkBundle();
    const current = this.sessions.current();
    if (current !== undefined) this.restored = null;
    const title = current?.session !== undefined ? `${BOARD_TITLE}: ${current.session.name}` : BOARD_TITLE;
    const boot: BoardBoot = current !== undefined
      ? { source: 'host', mode: 'live', title, session: current.key, ...traceOf(current) }
      : { source: 'host', mode: 'live', title, ...this.restored };
    panel.webview.html = boardPage(panel.webview, this.webviewRoot, boot, title);
  }

  private onMessage(message: unknown): void {
    const current = this.sessions.current();
    const cwd = current?.session?.configuration['cwd'];
    const action = routeBoardMessage(message, {
      sessionLive: current?.live === true && current.session !== undefined,
      stopThread: current?.feed.stopThread ?? null,
      cwd: typeof cwd === 'string' && cwd !== '' ? cwd : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    });
    this.act(action).then(undefined, (err: unknown) => this.errors.showLater(err));
  }

  private async act(action: BoardAction): Promise<void> {
    switch (action.kind) {
      case 'ready': {
        this.disconnect();
        const feed = this.sessions.current()?.feed;
        const panel = this.panel;
        if (panel === undefined) return;
        if (feed === undefined) return this.showEnded(panel);
        this.connected = feed;
        feed.connect((m: HostToBoard) => void panel.webview.postMessage(m));
        return;
      }
      case 'consumed':
        this.connected?.consumed(action.bytes);
        return;
      case 'request': {
        const session = this.sessions.current()?.session;
        if (session === undefined) return;
        const request = action.command === 'stepSwitch'
          ? sendCustomRequest(session, CUSTOM_REQUESTS.stepSwitch, action.args)
          : Promise.resolve(session.customRequest(action.command, action.args));
        await request.then(undefined, (err: unknown) => {
          const error = asExtensionError(err, ExtensionErrorCode.CustomRequestFailed);
          this.errors.showLater(new ExtensionError(error.code, `Greenlet Lens: ${action.command} from the board failed: ${error.message}`));
        });
        return;
      }
      case 'reveal':
        return showSourceBeside(action.file, action.line, this.panel?.viewColumn, this.errors);
      case 'error':
        this.errors.showLater(action.error);
        return;
      case 'invalid':
        this.errors.note(new ExtensionError(ExtensionErrorCode.BoardFailed, `ignored a message from the board: ${action.why}`));
        return;
      case 'none':
        return;
    }
  }

  /**
   * A board restored after a window reload whose session is gone (a reload
   * ends the debug sessions of the window): says so, and shows the session's
   * trace file again when it had one.
   */
  private showEnded(panel: vscode.WebviewPanel): void {
    const restored = this.restored;
    if (restored === null) return;
    const post = (m: HostToBoard): void => void panel.webview.postMessage(m);
    const trace = restored.trace;
    if (trace === undefined || !fs.existsSync(trace)) {
      post({ type: 'ended', exitCode: null });
      post({ type: 'notice', message: 'The debug session this board showed has ended (the window was reloaded); it recorded no trace file to show again.' });
      return;
    }
    post({ type: 'notice', message: `The debug session this board showed has ended (the window was reloaded); showing its trace, ${trace}.` });
    fs.promises.readFile(trace).then((file) => {
      if (this.panel !== panel) return;
      // Plain Uint8Arrays: VS Code would post a Node Buffer as JSON.
      const pieces = [...bytePieces(new Uint8Array(file.buffer, file.byteOffset, file.length))];
      pieces.forEach((piece, i) => post({ type: 'traceBytes', bytes: piece, final: i === pieces.length - 1 }));
      post({ type: 'ended', exitCode: null });
    }, (err: unknown) => this.errors.showLater(asExtensionError(err, ExtensionErrorCode.BoardFailed)));
  }

  private checkBundle(): void {
    if (this.missingReported || fs.existsSync(path.join(this.webviewRoot.fsPath, 'board.js'))) return;
    this.missingReported = true;
    this.errors.showLater(new ExtensionError(
      ExtensionErrorCode.BoardMissing,
      `Greenlet Lens: the board is not built (${path.join(this.webviewRoot.fsPath, 'board.js')} is missing); run "npm run build".`,
    ));
  }

  private disconnect(): void {
    this.connected?.disconnect();
    this.connected = undefined;
  }

  private release(): void {
    this.disconnect();
    for (const s of this.panelSubscriptions) s.dispose();
    this.panelSubscriptions = [];
  }
}

/** The trace file a session writes or replays, when it has one, as an absolute path. */
function traceOf(current: CurrentSession): { trace?: string } {
  const config = current.session?.configuration;
  if (config === undefined) return {};
  const file = typeof config['replay'] === 'string' ? config['replay'] : typeof config['trace'] === 'string' ? config['trace'] : undefined;
  if (file === undefined || file === '') return {};
  const cwd = typeof config['cwd'] === 'string' ? config['cwd'] : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return { trace: cwd !== undefined ? path.resolve(cwd, file) : file };
}
