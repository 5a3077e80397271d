/**
 * The Problems view's Greenlet Lens entries: a live session's findings (its
 * `greenletFindings` events, replaced at every stop, cleared when the session
 * ends) and those of every trace file open in the trace editor (worked out
 * when it opens, cleared when its last editor closes). Each session and each
 * file owns its entries; the Problems view shows them all.
 */
import * as vscode from 'vscode';
import { checkTraceFile } from '../shared/node/check-trace';
import { DEBUG_TYPE, type GreenletFindingsBody } from '../shared/protocol/custom-dap';
import { ExtensionError, ExtensionErrorCode } from './errors';
import { byFile, problemsOf, PROBLEM_SOURCE, type Problem } from './findings-problems';
import type { ErrorReporter } from './show-error';

function severity(s: Problem['severity']): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
  }
}

export class FindingsDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('greenlet-lens');
  private readonly owners = new Map<string, Problem[]>();
  /** Open trace editors per file, so the last one to close clears the file's entries. */
  private readonly traceEditors = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly errors: ErrorReporter) {
    this.subscriptions = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== DEBUG_TYPE || e.event !== 'greenletFindings' || typeof e.body !== 'object' || e.body === null) return;
        const body = e.body as GreenletFindingsBody;
        if (!Array.isArray(body.findings)) return;
        const cwd = typeof e.session.configuration['cwd'] === 'string' ? e.session.configuration['cwd'] : null;
        this.set(`session:${e.session.id}`, problemsOf(body.findings, cwd));
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.clear(`session:${s.id}`)),
    ];
  }

  /** A trace file opened in an editor: its findings until the returned disposable (the editor closing). */
  openTrace(uri: vscode.Uri): vscode.Disposable {
    const owner = `trace:${uri.toString()}`;
    const n = (this.traceEditors.get(owner) ?? 0) + 1;
    this.traceEditors.set(owner, n);
    if (n === 1 && uri.scheme === 'file') {
      checkTraceFile(uri.fsPath).then(({ summary, findings }) => {
        if (!this.traceEditors.has(owner)) return; // closed meanwhile
        this.set(owner, problemsOf(findings, summary.header?.cwd || null));
      }, (err: unknown) => this.errors.showLater(new ExtensionError(
        ExtensionErrorCode.FindingsFailed,
        `Greenlet Lens: cannot work out the findings of ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`,
      )));
    }
    return {
      dispose: () => {
        const left = (this.traceEditors.get(owner) ?? 1) - 1;
        if (left > 0) {
          this.traceEditors.set(owner, left);
          return;
        }
        this.traceEditors.delete(owner);
        this.clear(owner);
      },
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private set(owner: string, problems: Problem[]): void {
    this.owners.set(owner, problems);
    this.refresh();
  }

  private clear(owner: string): void {
    if (this.owners.delete(owner)) this.refresh();
  }

  private refresh(): void {
    this.collection.clear();
    for (const [file, problems] of byFile(this.owners.values())) {
      this.collection.set(vscode.Uri.file(file), problems.map((p) => {
        const d = new vscode.Diagnostic(new vscode.Range(p.line, 0, p.line, Number.MAX_SAFE_INTEGER), p.message, severity(p.severity));
        d.source = PROBLEM_SOURCE;
        d.code = p.code;
        d.relatedInformation = p.related.map((r) => new vscode.DiagnosticRelatedInformation(
          new vscode.Location(vscode.Uri.file(r.file), new vscode.Position(r.line, 0)), r.message,
        ));
        return d;
      }));
    }
  }
}
