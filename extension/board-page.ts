/** The board's page in a VS Code webview (the live panel and the trace editor share it). */
import * as vscode from 'vscode';
import type { BoardBoot } from '../shared/protocol/board-messages';
import { makeNonce, renderBoardHtml } from '../webview/html';

export function boardPage(webview: vscode.Webview, webviewRoot: vscode.Uri, boot: BoardBoot, title: string): string {
  return renderBoardHtml({
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'board.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'board.css')).toString(),
    nonce: makeNonce(),
    cspSource: webview.cspSource,
    boot,
    title,
  });
}
