/**
 * The @vscode/test-electron suite: the same checks as test/e2e, run inside a
 * desktop VS Code through the extension API. VS Code's downloads are out of
 * reach on the machines this project is built on, so it runs only when
 * GREENLET_LENS_VSCODE names a VS Code executable, and says plainly when it
 * was skipped.
 *
 *   GREENLET_LENS_VSCODE=/usr/share/code/code node out/test/vscode-electron/run.js
 */
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { examplesWorkspace, ROOT } from '../support/examples-workspace';

async function main(): Promise<number> {
  const executable = process.env['GREENLET_LENS_VSCODE'];
  if (executable === undefined || executable === '') {
    console.log('vscode-electron: SKIPPED, no VS Code given. Set GREENLET_LENS_VSCODE to a VS Code executable to run the '
      + '@vscode/test-electron suite (the same checks run in code-server by test/e2e).');
    return 0;
  }
  if (!fs.existsSync(executable)) {
    console.error(`vscode-electron: GREENLET_LENS_VSCODE=${executable} does not exist`);
    return 1;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-electron-'));
  try {
    const workspace = examplesWorkspace(tmp);
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', path.join(tmp, 'user-data'), '--disable-workspace-trust'],
    });
    return 0;
  } catch (err) {
    console.error(`vscode-electron: the suite failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
