/**
 * The "why is this greenlet not running?" answer (shared/analysis/why.ts) as
 * the text of the dialog the Call Stack command opens: the headline, then
 * the chain of who could wake it, indented by depth. No `vscode` import.
 */
import { chainSteps, type WhyAnswer } from '../shared/analysis/why';

export function whyDetail(answer: WhyAnswer): string {
  return chainSteps(answer).map((s) => `${'    '.repeat(Math.max(0, s.depth - 1))}${s.depth > 0 ? '← ' : ''}${s.text}`).join('\n');
}
