/**
 * Sources never cover a board. A line the board asks to see opens in
 * another editor group than the board's, without taking the focus from it;
 * and a source that VS Code itself opens in the board's group (a stop while
 * the board's group is the active one, say after pressing the board's Step
 * button, or F10 with the board focused) is moved to another group, the
 * board coming back to the front of its own.
 */
import * as vscode from 'vscode';
import { messageOf } from '../shared/errors';
import { ExtensionError, ExtensionErrorCode } from './errors';
import type { ErrorReporter } from './show-error';

/** The group a source opens in next to a board in `board`: the first group, or beside it when the board is there. */
export function sourceColumn(board: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return board === undefined || board !== vscode.ViewColumn.One ? vscode.ViewColumn.One : vscode.ViewColumn.Two;
}

/** Shows `file` at 0-based `line` beside a board in column `board`, keeping the focus where it is. */
export async function showSourceBeside(file: string, line: number, board: vscode.ViewColumn | undefined, errors: ErrorReporter): Promise<void> {
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const at = new vscode.Position(Math.min(line, Math.max(0, document.lineCount - 1)), 0);
    await vscode.window.showTextDocument(document, {
      viewColumn: sourceColumn(board), preserveFocus: true, preview: true, selection: new vscode.Range(at, at),
    });
  } catch (err) {
    errors.showLater(new ExtensionError(ExtensionErrorCode.RevealFailed, `Greenlet Lens: cannot open ${file}: ${messageOf(err)}`));
  }
}

/**
 * Moves text editors that open in the board's group (`boardColumn()`, undefined
 * when there is no board; hidden by the editor or not, the board is in its
 * group) to another group, while `active()` (a greenlet debug session runs).
 */
export function keepSourcesOffBoard(
  boardColumn: () => vscode.ViewColumn | undefined,
  active: () => boolean,
  revealBoard: () => void,
  errors: ErrorReporter,
): vscode.Disposable {
  const moving = new Set<string>();
  return vscode.window.tabGroups.onDidChangeTabs((e) => {
    const column = boardColumn();
    if (column === undefined || !active()) return;
    for (const tab of new Set(e.opened.concat(e.changed))) {
      if (tab.group.viewColumn !== column || !tab.isActive || !(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      if (moving.has(uri.toString())) continue;
      moving.add(uri.toString());
      void moveOut(uri, column, tab.isPreview).finally(() => moving.delete(uri.toString())).then(revealBoard, (err: unknown) => errors.showLater(new ExtensionError(
        ExtensionErrorCode.RevealFailed, `Greenlet Lens: cannot move ${uri.fsPath} out of the board's editor group: ${messageOf(err)}`,
      )));
    }
  });
}

/** Shows `uri` where it was shown in `column` (its selection, its scroll) in the other group, and closes it in `column`. */
async function moveOut(uri: vscode.Uri, column: vscode.ViewColumn, preview: boolean): Promise<void> {
  // The editor comes after its tab: let it appear to read where it stands.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const here = (): vscode.TextEditor | undefined =>
    vscode.window.visibleTextEditors.find((ed) => ed.viewColumn === column && ed.document.uri.toString() === uri.toString());
  const editor = here();
  const document = editor?.document ?? await vscode.workspace.openTextDocument(uri);
  const moved = await vscode.window.showTextDocument(document, {
    viewColumn: sourceColumn(column), preserveFocus: false, preview, ...(editor !== undefined ? { selection: editor.selection } : {}),
  });
  if (editor !== undefined) moved.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // The tab as it is now (a tab object from the event may have been replaced since).
  const stale = vscode.window.tabGroups.all.find((g) => g.viewColumn === column)?.tabs
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()) ?? [];
  if (stale.length > 0) await vscode.window.tabGroups.close(stale, true);
}
