/**
 * The names the extension contributes in package.json (commands, settings,
 * output channels), declared once so the code never repeats a string
 * literal and a unit test can check package.json against them.
 */

export const COMMANDS = {
  stepSwitch: 'greenletLens.stepSwitch',
  runToGreenlet: 'greenletLens.runToGreenlet',
  whyNotRunning: 'greenletLens.whyNotRunning',
  showDapLog: 'greenletLens.showDapLog',
  openBoard: 'greenletLens.openBoard',
  revealBoard: 'greenletLens.revealBoard',
  copyListenCommand: 'greenletLens.copyListenCommand',
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
  /** Open the board beside the editor when a `greenlet` session starts. */
  openBoardOnSessionStart: 'openBoardOnSessionStart',
} as const;

/** The board's webview panel type (also the serializer's key) and its tab title. */
export const BOARD_VIEW_TYPE = 'greenletLens.board';
export const BOARD_TITLE = 'Greenlet Lens';

/** Output channel for DAP traffic, js-debug/vscode-go style. */
export const DAP_LOG_CHANNEL = 'Greenlet Lens DAP';
/** Output channel for the extension's own diagnostics (fallbacks, errors shown). */
export const LOG_CHANNEL = 'Greenlet Lens';

/** The Python extension, whose selected interpreter is the third choice. */
export const PYTHON_EXTENSION_ID = 'ms-python.python';
