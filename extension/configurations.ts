/**
 * The configurations the extension offers: the ones written into a new
 * launch.json (the same as package.json's `initialConfigurations`, which a
 * unit test checks) and the dynamic ones listed under "Greenlet Lens
 * (gevent)…" in the Run and Debug view without any launch.json.
 */

import * as path from 'path';
import { DEBUG_TYPE } from '../shared/protocol/custom-dap';
import type { PlainDebugConfiguration } from './launch-config';

/** The port of `python3 -m greenlet_lens listen --port 5679` in the docs and snippets. */
export const DEFAULT_ATTACH_PORT = 5679;

export const INITIAL_CONFIGURATIONS: readonly PlainDebugConfiguration[] = [
  {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Greenlet Lens: current file',
    program: '${file}',
    cwd: '${workspaceFolder}',
  },
  {
    type: DEBUG_TYPE,
    request: 'attach',
    name: 'Greenlet Lens: attach (greenlet_lens listen --port 5679)',
    host: '127.0.0.1',
    port: DEFAULT_ATTACH_PORT,
  },
];

/**
 * Dynamic configurations: the Python file in the active editor when there
 * is one, and attaching to the documented default port.
 */
export function dynamicConfigurations(activePythonFile: string | undefined): PlainDebugConfiguration[] {
  const configs: PlainDebugConfiguration[] = [];
  if (activePythonFile !== undefined) {
    configs.push({
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Greenlet Lens: ${path.basename(activePythonFile)}`,
      program: activePythonFile,
    });
  }
  configs.push({ ...INITIAL_CONFIGURATIONS[1]! });
  return configs;
}
