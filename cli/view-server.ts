/**
 * The HTTP server behind `greenlet-lens view`: the board page, its bundle
 * files and the trace's bytes, on 127.0.0.1 only. Paths are looked up in a
 * fixed table, never joined onto a folder, so no request can reach any other
 * file; a Host check keeps other web sites out (DNS rebinding). Every path
 * starts with a random token that only the user who started the server is
 * told (on its stdout): other local users reach the port but not the trace,
 * which holds program data (docs/security.md).
 */

import { randomBytes, timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { BoardBoot, BoardProcess } from '../shared/protocol/board-messages';
import { processTraces, type ProcessTrace } from '../shared/node/process-traces';
import { processLabel } from './processes';
import { ALL_PROCESSES } from '../shared/present/process-words';
import { boardCsp, makeNonce, renderBoardHtml } from '../webview/html';

export type ViewTheme = 'dark' | 'light';
export const VIEW_THEMES: readonly ViewTheme[] = ['dark', 'light'];

export interface ViewServerOptions {
  /**
   * The trace file (or a children folder); read again for every /trace
   * request, so a growing file shows more. With children (run.glt.d), each
   * process has its page and trace at ?process=N (0: the program's).
   */
  readonly file: string;
  /** dist/webview: board.js, board.css, theme-dark.css, theme-light.css. */
  readonly webviewDir: string;
  /** The theme of `/` without `?theme=`. */
  readonly theme: ViewTheme;
  readonly title: string;
  /** The secret first path segment; every URL the server answers starts with /TOKEN/. */
  readonly token: string;
}

/** A fresh token: 24 random bytes, URL-safe. */
export function newViewToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What the page URL means to the server. */
export type Route =
  | { readonly kind: 'page' }
  | { readonly kind: 'asset'; readonly file: string; readonly type: string }
  | { readonly kind: 'trace' }
  /** Browsers ask for it unprompted; "nothing" keeps a 404 out of the page's console. */
  | { readonly kind: 'empty' };

const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/board.js': { file: 'board.js', type: 'text/javascript; charset=utf-8' },
  '/board.js.map': { file: 'board.js.map', type: 'application/json; charset=utf-8' },
  '/board.css': { file: 'board.css', type: 'text/css; charset=utf-8' },
  '/theme-dark.css': { file: 'theme-dark.css', type: 'text/css; charset=utf-8' },
  '/theme-light.css': { file: 'theme-light.css', type: 'text/css; charset=utf-8' },
};

export const TRACE_PATH = '/trace';
/** The page's cspSource: everything comes from this server. */
const SELF = "'self'";

/** The route of a request path (without its query), or null for 404. */
export function routeOf(pathname: string): Route | null {
  if (pathname === '/') return { kind: 'page' };
  if (pathname === TRACE_PATH) return { kind: 'trace' };
  if (pathname === '/favicon.ico') return { kind: 'empty' };
  const asset = Object.prototype.hasOwnProperty.call(ASSETS, pathname) ? ASSETS[pathname] : undefined;
  return asset === undefined ? null : { kind: 'asset', ...asset };
}

/** `?theme=light|dark`, else the server's default. */
export function themeOf(query: URLSearchParams, fallback: ViewTheme): ViewTheme {
  const t = query.get('theme');
  return t === 'light' || t === 'dark' ? t : fallback;
}

/** Host headers the page may be asked for under: the loopback address or localhost, on this port. */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function createViewServer(options: ViewServerOptions): http.Server {
  const server = http.createServer((req, res) => {
    handle(server, options, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${String(err)}\n`);
      else res.destroy();
    });
  });
  return server;
}

async function handle(server: http.Server, options: ViewServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  if (!allowedHost(req.headers.host, port)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden host\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  const target = req.url ?? '/';
  let url: URL;
  try {
    if (!target.startsWith('/')) throw new TypeError('not a path');
    url = new URL(target, `http://127.0.0.1:${port}`);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'bad request path\n');
  }
  // The raw path, not the URL's normalised one: "/../package.json" must not become "/package.json".
  const rawPath = target.split('?')[0]!;
  const prefix = `/${options.token}`;
  if (rawPath !== url.pathname || !hasToken(rawPath, prefix)) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (rawPath === prefix) {
    res.setHeader('Location', `${prefix}/${url.search}`);
    return send(res, 302, 'text/plain; charset=utf-8', 'see the page\n');
  }
  const route = routeOf(rawPath.slice(prefix.length));
  if (route === null) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  const traces = processTraces(options.file);
  const chosen = processIndex(url.searchParams, traces.length);
  if (chosen === null) return send(res, 404, 'text/plain; charset=utf-8', 'no such process in this recording\n');

  switch (route.kind) {
    case 'page': {
      if (url.searchParams.get('theme') === null && options.theme !== 'dark') {
        // The board sets its body class from ?theme=, so a non-default theme must be in the URL.
        const query = new URLSearchParams(url.searchParams);
        query.set('theme', options.theme);
        res.setHeader('Location', `${prefix}/?${query.toString()}`);
        return send(res, 302, 'text/plain; charset=utf-8', 'see the page in its theme\n');
      }
      const theme = themeOf(url.searchParams, options.theme);
      const nonce = makeNonce();
      const boot = pageBoot(options.title, prefix, traces, chosen, url.searchParams.get('theme'));
      const html = renderBoardHtml({
        scriptUri: `${prefix}/board.js`,
        styleUri: `${prefix}/board.css`,
        themeUri: `${prefix}/theme-${theme}.css`,
        nonce,
        cspSource: SELF,
        boot,
        title: boot.title,
      });
      // The page's own policy (its meta tag), plus what only a header can say.
      res.setHeader('Content-Security-Policy', `${boardCsp(nonce, SELF)}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`);
      return send(res, 200, 'text/html; charset=utf-8', html, req.method === 'HEAD');
    }
    case 'asset':
      return sendFile(req, res, path.join(options.webviewDir, route.file), route.type);
    case 'trace':
      if (chosen === ALL) return send(res, 404, 'text/plain; charset=utf-8', 'one trace per process: ?process=N\n');
      return sendFile(req, res, traces[chosen]!.file, 'application/octet-stream');
    case 'empty':
      res.writeHead(204, COMMON_HEADERS);
      res.end();
      return;
  }
}

/** The page that shows every process on one time axis: ?process=all. */
export const ALL = 'all';

/**
 * ?process=N of a recording with `count` processes (absent: 0, the
 * program's), ALL for the side-by-side page of a recording with several,
 * or null when there is no such one.
 */
export function processIndex(query: URLSearchParams, count: number): number | typeof ALL | null {
  const text = query.get('process');
  if (text === null) return 0;
  if (text === ALL) return count > 1 ? ALL : null;
  if (!/^\d{1,6}$/.test(text)) return null;
  const n = Number(text);
  return n < count ? n : null;
}

/**
 * The boot of process `chosen`'s page; with several processes, each one's
 * page is listed, then the side-by-side page, whose boot names every
 * process's trace (`together`) and draws the program's in its tables first.
 */
function pageBoot(title: string, prefix: string, traces: readonly ProcessTrace[], chosen: number | typeof ALL, theme: string | null): BoardBoot & { source: 'fetch' } {
  const traceUrl = (n: number): string => prefix + TRACE_PATH + (n === 0 ? '' : `?process=${n}`);
  const url = traceUrl(chosen === ALL ? 0 : chosen);
  if (traces.length < 2) return { source: 'fetch', url, title };
  const themeParam = theme === null ? '' : `theme=${encodeURIComponent(theme)}`;
  const href = (process: string): string => {
    const q = [process, themeParam].filter((p) => p !== '').join('&');
    return `${prefix}/${q === '' ? '' : `?${q}`}`;
  };
  const labels = traces.map((t) => processLabel(t));
  const processes: BoardProcess[] = labels.map((label, n) => ({ label, href: href(n === 0 ? '' : `process=${n}`), current: n === chosen }));
  const all: BoardProcess = { label: ALL_PROCESSES, href: href(`process=${ALL}`), current: chosen === ALL, all: true };
  processes.push(all);
  if (chosen === ALL) {
    const together = labels.map((label, n) => ({ label, url: traceUrl(n) }));
    return { source: 'fetch', url, title: `${title} · ${ALL_PROCESSES}`, processes, together };
  }
  return { source: 'fetch', url, title: chosen === 0 ? title : `${title} · ${processes[chosen]!.label}`, processes };
}

/** The path is under /TOKEN (compared in constant time). */
function hasToken(rawPath: string, prefix: string): boolean {
  const given = Buffer.from(rawPath.slice(0, prefix.length));
  const want = Buffer.from(prefix);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return false;
  return rawPath.length === prefix.length || rawPath[prefix.length] === '/';
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': bytes.length });
  res.end(headOnly ? undefined : bytes);
}

/** A file's bytes as they are now (its size when the request came), or 404 when it is gone. */
async function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, type: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
  try {
    const { size } = await handle.stat();
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': size });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const stream = handle.createReadStream({ start: 0, end: size - 1, autoClose: false });
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  } finally {
    await handle.close();
  }
}

/** Starts listening on 127.0.0.1 only; resolves to the port. */
export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
