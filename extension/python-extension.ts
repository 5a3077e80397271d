/**
 * The Python extension's selected interpreter, when that extension is
 * installed. Activating it can take seconds (it discovers environments), so
 * the wait is bounded; a failure or a timeout falls back to Greenlet Lens's
 * defaults and is logged, never silently dropped.
 */

import { messageOf } from '../shared/errors';
import * as vscode from 'vscode';
import { PYTHON_EXTENSION_ID } from './contributions';
import { ExtensionError, ExtensionErrorCode } from './errors';
import { environmentsApi, selectedInterpreter } from './python-extension-api';
import type { ErrorReporter } from './show-error';

const ACTIVATION_TIMEOUT_MS = 15_000;

export async function pythonExtensionInterpreter(
  folder: vscode.WorkspaceFolder | undefined,
  errors: ErrorReporter,
): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<unknown>(PYTHON_EXTENSION_ID);
  if (extension === undefined) return undefined;
  try {
    const exports = extension.isActive ? extension.exports : await withTimeout(extension.activate(), ACTIVATION_TIMEOUT_MS);
    const api = environmentsApi(exports);
    if (api === undefined) {
      errors.note(new ExtensionError(ExtensionErrorCode.PythonExtensionFailed,
        `${PYTHON_EXTENSION_ID} has no environments API (too old?); its interpreter is not used.`));
      return undefined;
    }
    return await withTimeout(selectedInterpreter(api, folder?.uri), ACTIVATION_TIMEOUT_MS);
  } catch (err) {
    errors.note(new ExtensionError(ExtensionErrorCode.PythonExtensionFailed,
      `asking ${PYTHON_EXTENSION_ID} for its interpreter failed (${messageOf(err)}); ` +
        'falling back to the default interpreters.'));
    return undefined;
  }
}

function withTimeout<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    work.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (err: unknown) => { clearTimeout(timer); reject(err); },
    );
  });
}
