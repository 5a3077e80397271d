/**
 * Findings (shared/analysis) as entries of VS Code's Problems view, decided
 * without `vscode` so they are unit-tested under plain Node: one problem per
 * finding on its first line (0-based here, as VS Code counts), the other
 * lines as related information, the kind as the code, paths resolved
 * against the folder the program ran in.
 */
import * as path from 'path';
import type { Finding, Severity } from '../shared/analysis/finding';

export interface ProblemPlace {
  readonly file: string;
  /** 0-based. */
  readonly line: number;
}

export interface Problem extends ProblemPlace {
  readonly severity: Severity;
  /** "Summary: message", what the Problems view lists. */
  readonly message: string;
  readonly code: string;
  readonly related: readonly (ProblemPlace & { readonly message: string })[];
}

export const PROBLEM_SOURCE = 'Greenlet Lens';

/** Findings without a line (none of theirs is known) are left out: the board lists them. */
export function problemsOf(findings: readonly Finding[], cwd: string | null): Problem[] {
  const out: Problem[] = [];
  for (const f of findings) {
    const [first, ...rest] = f.sites;
    if (first === undefined) continue;
    const place = (file: string, line: number): ProblemPlace => ({
      file: path.isAbsolute(file) || cwd === null ? file : path.resolve(cwd, file),
      line: Math.max(0, line - 1),
    });
    out.push({
      ...place(first.file, first.line),
      severity: f.severity,
      message: `${f.summary}: ${f.message}`,
      code: f.kind,
      related: rest.map((s) => ({ ...place(s.file, s.line), message: `${f.summary}: a related line, in ${s.function}` })),
    });
  }
  return out;
}

/** Problems of several owners (sessions, trace files) by file, in a stable order. */
export function byFile(owners: Iterable<readonly Problem[]>): Map<string, Problem[]> {
  const files = new Map<string, Problem[]>();
  for (const list of owners) {
    for (const p of list) {
      const at = files.get(p.file);
      if (at === undefined) files.set(p.file, [p]);
      else at.push(p);
    }
  }
  for (const list of files.values()) list.sort((a, b) => a.line - b.line || a.message.localeCompare(b.message));
  return files;
}
