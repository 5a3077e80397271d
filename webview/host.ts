/**
 * The page's surroundings: the boot object embedded by webview/html.ts, the
 * VS Code API when there is one (acquireVsCodeApi may be called only once,
 * so only here), where the board state is saved, and the theme class when
 * the page runs in a plain browser.
 */

import type { BoardBoot, BoardProcess, BoardToHost, BoardTrace } from '../shared/protocol/board-messages';
import { sessionStorageFor, vscodeStorage, type StateStorage } from './state/persist';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface BoardHost {
  /** Inside a VS Code webview (messages can be posted). */
  readonly inVsCode: boolean;
  post(message: BoardToHost): void;
  readonly storage: StateStorage;
}

/** The boot JSON, checked; a broken page says why instead of drawing nothing. */
export function readBoot(doc: Document = document): BoardBoot {
  const text = doc.getElementById('board-boot')?.textContent ?? '';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('the page has no valid #board-boot JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new Error('#board-boot is not an object');
  const b = raw as Record<string, unknown>;
  const title = typeof b['title'] === 'string' ? b['title'] : 'Greenlet Lens';
  if (b['source'] === 'host') {
    const boot: { source: 'host'; mode: 'live' | 'replay'; title: string; session?: string; trace?: string } = {
      source: 'host', mode: b['mode'] === 'replay' ? 'replay' : 'live', title,
    };
    if (typeof b['session'] === 'string') boot.session = b['session'];
    if (typeof b['trace'] === 'string') boot.trace = b['trace'];
    return boot;
  }
  if (b['source'] === 'fetch' && typeof b['url'] === 'string') {
    const processes = processesOf(b['processes']);
    const together = tracesOf(b['together']);
    return {
      source: 'fetch', url: b['url'], title,
      ...(processes === null ? {} : { processes }),
      ...(together === null ? {} : { together }),
    };
  }
  throw new Error('#board-boot has no usable source');
}

function processesOf(raw: unknown): BoardProcess[] | null {
  if (!Array.isArray(raw)) return null;
  const ok = raw.every((p: unknown) => typeof p === 'object' && p !== null
    && typeof (p as Record<string, unknown>)['label'] === 'string' && typeof (p as Record<string, unknown>)['href'] === 'string'
    && typeof (p as Record<string, unknown>)['current'] === 'boolean');
  return ok ? (raw as BoardProcess[]) : null;
}

function tracesOf(raw: unknown): BoardTrace[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const ok = raw.every((p: unknown) => typeof p === 'object' && p !== null
    && typeof (p as Record<string, unknown>)['label'] === 'string' && typeof (p as Record<string, unknown>)['url'] === 'string');
  return ok ? (raw as BoardTrace[]) : null;
}

export function connectHost(boot: BoardBoot): BoardHost {
  const acquire = (globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi;
  if (typeof acquire === 'function') {
    const api = acquire();
    return { inVsCode: true, post: (m) => api.postMessage(m), storage: vscodeStorage(api) };
  }
  // The side-by-side page keeps its own view state, apart from the program's page (same first trace).
  const key = `greenlet-lens.board:${boot.source === 'fetch' ? `${boot.url}${boot.together !== undefined ? '#together' : ''}` : boot.title}`;
  return { inVsCode: false, post: () => undefined, storage: sessionStorageFor(key) };
}

/**
 * Outside VS Code the body's theme class comes from ?theme=light|dark
 * (default dark), and the linked theme file is switched to match if the
 * server linked the other one.
 */
export function applyBrowserTheme(host: BoardHost, loc: Location = location): void {
  if (host.inVsCode) return;
  const theme = new URLSearchParams(loc.search).get('theme') === 'light' ? 'light' : 'dark';
  document.body.classList.remove('vscode-dark', 'vscode-light');
  document.body.classList.add(`vscode-${theme}`);
  const link = document.getElementById('board-theme');
  if (link instanceof HTMLLinkElement) {
    const href = link.getAttribute('href') ?? '';
    const wanted = href.replace(/theme-(dark|light)\.css/, `theme-${theme}.css`);
    if (wanted !== href) link.setAttribute('href', wanted);
  }
}
