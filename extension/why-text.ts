/**
 * The "why is this greenlet not running?" answer (shared/analysis/why.ts) as
 * the text of the dialog the Call Stack command opens: the headline, then
 * the chain of who could wake it, indented by depth. No `vscode` import.
 */
import type { WhyAnswer } from '../shared/analysis/why';

export function whyDetail(answer: WhyAnswer): string {
  // A step the headline already says (its verdict) is not repeated.
  return answer.steps.slice(1).filter((s) => !answer.headline.includes(s.text)).map((s) => `${'    '.repeat(Math.max(0, s.depth - 1))}${s.depth > 0 ? '← ' : ''}${s.text}`).join('\n');
}
