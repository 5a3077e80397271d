/**
 * Runs inside the VS Code that test/vscode-electron/run.ts starts (the
 * extension host loads this file and calls run()). The checks of test/e2e,
 * through the API instead of clicks: the launch configuration stops at a
 * breakpoint with the board open, Step to Next Greenlet Switch changes the
 * worker's state, Stop ends the session, the recorded trace opens in the
 * trace editor, and its replay steps back one switch.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checks } from './checks';

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    try {
      await check();
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      failures.push(name);
      console.error(`FAIL ${name}\n${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  await vscode.debug.stopDebugging();
  assert.deepEqual(failures, [], `${failures.length} of ${checks.length} checks failed`);
}
