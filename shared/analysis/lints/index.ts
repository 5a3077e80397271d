/** Every finding kind's lint, in the order their findings are listed. */

import { blockedLoopLint } from './blocked-loop';
import { deadlockLint } from './deadlock';
import { frequentTimeoutsLint } from './frequent-timeouts';
import { leakedLint } from './leaked';
import type { Lint } from './lint';
import { neverWokenLint } from './never-woken';
import { slowWakeupLint } from './slow-wakeup';
import { unboundedGrowthLint } from './unbounded-growth';
import { unobservedExceptionLint } from './unobserved-exception';

export const LINTS: readonly Lint[] = [
  deadlockLint,
  neverWokenLint,
  unobservedExceptionLint,
  leakedLint,
  blockedLoopLint,
  unboundedGrowthLint,
  slowWakeupLint,
  frequentTimeoutsLint,
];

export type { CheckContext, Lint, WaitProof } from './lint';
export { explanationOf, summaryOf } from './lint';
