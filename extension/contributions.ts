/**
 * The names the extension contributes in package.json (commands, settings,
 * output channels), declared once so the code never repeats a string
 * literal and a unit test can check package.json against them.
 */

export const COMMANDS = {
  stepSwitch: 'greenletLens.stepSwitch',
  runToGreenlet: 'greenletLens.runToGreenlet',
  showDapLog: 'greenletLens.showDapLog',
} as const;

/** Settings, all under the `greenletLens.` section. */
export const SETTINGS_SECTION = 'greenletLens';
export const SETTINGS = {
  /** Log every DAP message to the "Greenlet Lens DAP" channel (read when a session starts). */
  logDapTraffic: 'logDapTraffic',
  /** Run the adapter inside the extension host (true) or as `node dist/adapter.js` (false). */
  inlineAdapter: 'inlineAdapter',
  /** Default interpreter when a launch configuration has no `python`. */
  python: 'python',
} as const;

/** Output channel for DAP traffic, js-debug/vscode-go style. */
export const DAP_LOG_CHANNEL = 'Greenlet Lens DAP';
/** Output channel for the extension's own diagnostics (fallbacks, errors shown). */
export const LOG_CHANNEL = 'Greenlet Lens';

/** The Python extension, whose selected interpreter is the third choice. */
export const PYTHON_EXTENSION_ID = 'ms-python.python';
