/**
 * The `greenlet` DebugConfigurationProvider: F5 on a Python file with no
 * launch.json, the initial and dynamic configurations, and the checks that
 * turn "the debuggee could not start" into a message that names the fix
 * before any adapter runs. The decisions live in the vscode-free modules
 * (launch-config, python-choice, configurations); this is the glue.
 */

import * as fs from 'fs';
import * as vscode from 'vscode';
import { dynamicConfigurations } from './configurations';
import { SETTINGS, SETTINGS_SECTION } from './contributions';
import { ExtensionErrorCode } from './errors';
import { mergeEnv, probePython } from '../shared/node/python-probe';
import {
  completeConfiguration,
  configurationProblems,
  currentFileConfiguration,
  invalidConfigurationError,
  isEmptyConfiguration,
  type ActiveDocument,
} from './launch-config';
import { interpreterCandidates, selectInterpreter } from './python-choice';
import { pythonExtensionInterpreter } from './python-extension';
import type { ErrorReporter } from './show-error';

export class GreenletConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly errors: ErrorReporter) {}

  // No provideDebugConfigurations: VS Code writes package.json's initialConfigurations
  // (INITIAL_CONFIGURATIONS, checked by a unit test) into a new launch.json and adds what
  // an Initial provider gives, so providing them too wrote each configuration twice.

  /** Without variables substituted yet: only F5's empty configuration is filled in here. */
  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (!isEmptyConfiguration(config)) return config;
    try {
      return currentFileConfiguration(activeDocument(), folder?.uri.fsPath);
    } catch (err) {
      this.errors.showLater(err, ExtensionErrorCode.NoPythonFile);
      // undefined cancels the launch (null would open launch.json instead).
      return undefined;
    }
  }

  /** With variables substituted: validate, complete, and pick a Python that has gevent. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    try {
      const problems = configurationProblems(config);
      if (problems.length > 0) throw invalidConfigurationError(config.name, problems);
      const complete = completeConfiguration(config, folder?.uri.fsPath);
      // attach: the program already runs under its own Python; replay runs none.
      if (complete.request !== 'launch' || typeof complete['replay'] === 'string') return complete;
      const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri);
      const candidates = await interpreterCandidates({
        fromConfiguration: complete['python'],
        fromSetting: settings.get<unknown>(SETTINGS.python),
        fromPythonExtension: () => pythonExtensionInterpreter(folder, this.errors),
        platform: process.platform,
        baseDir: folder?.uri.fsPath,
      });
      const cwd = typeof complete['cwd'] === 'string' && fs.existsSync(complete['cwd']) ? complete['cwd'] : undefined;
      // `env` was validated above: absent, null, or an object of strings-or-null.
      const env = (complete['env'] ?? undefined) as Record<string, string | null> | undefined;
      const chosen = await selectInterpreter(candidates, (python) => probePython(python, { cwd, env: mergeEnv(process.env, env) }));
      return { ...complete, python: chosen.command };
    } catch (err) {
      this.errors.showLater(err, ExtensionErrorCode.InvalidConfiguration);
      return undefined;
    }
  }
}

/** Dynamic configurations, listed under "Greenlet Lens (gevent)…" in Run and Debug. */
export class GreenletDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const active = activeDocument();
    const file = active !== undefined && active.languageId === 'python' && active.isFile ? active.fsPath : undefined;
    return dynamicConfigurations(file);
  }
}

function activeDocument(): ActiveDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined) return undefined;
  return { languageId: document.languageId, isFile: document.uri.scheme === 'file' && !document.isUntitled, fsPath: document.uri.fsPath };
}
