/**
 * The standalone adapter, dist/adapter.js: DAP over stdin/stdout (or
 * `--server=PORT` for debugging the adapter itself), one session per process.
 */
import { DebugSession } from '@vscode/debugadapter';
import { GreenletDebugSession } from './session/debug-session';

DebugSession.run(GreenletDebugSession);
