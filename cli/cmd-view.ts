/**
 * `greenlet-lens view FILE [--port N] [--theme dark|light] [--open]`: serves
 * the board for one trace file (or every process of a recording that
 * followed children: FILE and FILE.d, or the folder) on
 * http://127.0.0.1:PORT/ until Ctrl-C or SIGTERM. The page fetches the file's bytes itself, read again on every
 * load, so reloading shows a trace that is still being written.
 */

import { messageOf } from '../shared/errors';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { processTraces } from '../shared/node/process-traces';
import { parseArgs, singleFile } from './args';
import { printError, printNote } from './output';
import { UsageError } from './usage';
import { createViewServer, listen, newViewToken, VIEW_THEMES, type ViewTheme } from './view-server';
import { BOARD_SCRIPT, findWebviewDir } from './webview-path';

export interface ViewArgs {
  file: string;
  port: number;
  theme: ViewTheme;
  open: boolean;
}

export function parseViewArgs(argv: readonly string[]): ViewArgs {
  const args = parseArgs(argv, { port: 'string', theme: 'string', open: 'boolean' });
  const file = singleFile(args, 'view');
  const portText = args.values.get('port') ?? '0';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`--port expects a port number 0..65535 (0: any free port), got ${JSON.stringify(portText)}`);
  }
  const theme = args.values.get('theme') ?? 'dark';
  if (!(VIEW_THEMES as readonly string[]).includes(theme)) {
    throw new UsageError(`--theme expects ${VIEW_THEMES.join(' or ')}, got ${JSON.stringify(theme)}`);
  }
  return { file, port: Number(portText), theme: theme as ViewTheme, open: args.flags.has('open') };
}

/** Why the file cannot be served, or null when it can be read. */
export function unreadableFile(file: string): string | null {
  try {
    if (fs.statSync(file).isDirectory()) return `${file} is a directory, not a trace file`;
    fs.closeSync(fs.openSync(file, 'r'));
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `no such file: ${file}`;
    return `cannot read ${file}: ${messageOf(err)}`;
  }
}

export async function runView(argv: readonly string[]): Promise<number> {
  const opts = parseViewArgs(argv);
  // A recording that followed children: the program's trace (or its first child's) stands for it.
  const problem = unreadableFile(processTraces(opts.file)[0]!.file);
  if (problem !== null) {
    printError(problem);
    return 1;
  }
  const webviewDir = findWebviewDir();
  if (webviewDir === null) {
    printError(`cannot find the board (dist/webview/${BOARD_SCRIPT}) next to ${__dirname}; run "npm run build" first`);
    return 1;
  }
  const token = newViewToken();
  const server = createViewServer({
    file: path.resolve(opts.file),
    webviewDir,
    theme: opts.theme,
    title: path.basename(opts.file),
    token,
  });
  let port: number;
  try {
    port = await listen(server, opts.port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    printError(code === 'EADDRINUSE' ? `port ${opts.port} is already in use on 127.0.0.1` : `cannot listen on 127.0.0.1:${opts.port}: ${String(err)}`);
    return 1;
  }
  // The token in the URL is what keeps other local users out: it is printed here only.
  const url = `http://127.0.0.1:${port}/${token}/${opts.theme === 'dark' ? '' : `?theme=${opts.theme}`}`;
  process.stdout.write(`greenlet-lens: serving ${opts.file} at ${url}\n`);
  if (opts.open) openBrowser(url);
  return new Promise((resolve) => {
    const stop = (): void => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, stop);
      server.close();
      server.closeAllConnections();
      resolve(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  });
}

/** The platform's "open this URL" command; a failure is a note, the server keeps running. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
    : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (err) => printNote(`could not open a browser (${command}: ${err.message}); open ${url} yourself`));
    child.unref();
  } catch (err) {
    printNote(`could not open a browser (${String(err)}); open ${url} yourself`);
  }
}
