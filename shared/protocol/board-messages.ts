/**
 * Messages between the board (webview/) and whatever hosts it: the VS Code
 * extension's webview panel, or the `greenlet-lens view` page. Discriminated
 * unions both ways; nothing untyped crosses postMessage (hexeditor's
 * shared/protocol in spirit).
 */
import type { StopReason } from './stop';

/** How the page was started: embedded in the HTML as JSON (see webview/html.ts). */
export type BoardBoot =
  /**
   * Inside VS Code: data arrives as HostToBoard messages. `session` names
   * the run of the debug session shown (a new one never inherits another's
   * cursor or selection), `trace` its trace file if it has one.
   */
  | { readonly source: 'host'; readonly mode: 'live' | 'replay'; readonly title: string; readonly session?: string; readonly trace?: string }
  /**
   * `greenlet-lens view`: the page fetches the trace file's bytes itself;
   * `processes` when the recording followed children (one page per process);
   * `together` on the page that shows them side by side: every process's
   * trace, the first (at `url`) the program's.
   */
  | { readonly source: 'fetch'; readonly url: string; readonly title: string; readonly processes?: readonly BoardProcess[]; readonly together?: readonly BoardTrace[] };

/** One process's trace on the side-by-side board: its name (`pid N (forked from M)`) and where its bytes are. */
export interface BoardTrace {
  readonly label: string;
  readonly url: string;
}

/** One process of a recording that followed children: its board is the page at `href`. */
export interface BoardProcess {
  readonly label: string;
  readonly href: string;
  /** The process this page shows. */
  readonly current: boolean;
  /** The choice that shows every process side by side, not one process. */
  readonly all?: boolean;
}

export type HostToBoard =
  /** The next bytes of a debug session's trace, in order, from its header on (the adapter's greenletTrace). */
  | { readonly type: 'sessionBytes'; readonly bytes: Uint8Array }
  /** Raw trace bytes (a file being opened), in order; `final` on the last piece. */
  | { readonly type: 'traceBytes'; readonly bytes: Uint8Array; readonly final: boolean }
  /** The live program stopped after event `seq`, for the runtime's `reason` (a deadlock, say). */
  | { readonly type: 'stopped'; readonly seq: number; readonly g: number; readonly reason: StopReason; readonly description: string }
  | { readonly type: 'continued' }
  /** The session ended; `byUser` when the user stopped it (Stop, Restart), not the program by itself. */
  | { readonly type: 'ended'; readonly exitCode: number | null; readonly byUser?: boolean; readonly detached?: boolean }
  /** The session went away or could not start. */
  | { readonly type: 'error'; readonly message: string }
  /** Something the user should know about what the board shows (its session ended while the window reloaded, say). */
  | { readonly type: 'notice'; readonly message: string }
  /** The user selected greenlet `g`'s thread (or one of its frames) in VS Code's Call Stack: the board selects it too. */
  | { readonly type: 'select'; readonly g: number }
  /**
   * Whether the live session runs now, sent at once, ahead of the bytes still
   * queued for a board that is behind (its `stopped` comes after them): how
   * hard the board may work (webview/feed.ts). Running, it leaves the CPU to
   * the program and VS Code; stopped, it catches up.
   */
  | { readonly type: 'pace'; readonly running: boolean };

export type BoardCommand = 'continue' | 'pause' | 'stepSwitch';

export type BoardToHost =
  /** The page is loaded and listening (the host sends data only after this). */
  | { readonly type: 'ready' }
  /** A control button or its keybinding, for the live session. */
  | { readonly type: 'command'; readonly command: BoardCommand }
  /** The user selected a greenlet: reveal its current line in the editor. */
  | { readonly type: 'revealGreenlet'; readonly g: number; readonly file: string | null; readonly line: number | null }
  /** Something in the board failed; the host shows it. */
  | { readonly type: 'error'; readonly message: string }
  /**
   * The board has decoded and applied this many bytes of `sessionBytes` since it said `ready`:
   * the host sends more only while few are unread (flow control, extension/board-feed.ts).
   */
  | { readonly type: 'consumed'; readonly bytes: number };

export function isHostToBoard(value: unknown): value is HostToBoard {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'sessionBytes' || t === 'traceBytes' || t === 'stopped' || t === 'continued' || t === 'ended' || t === 'error' || t === 'notice' || t === 'select' || t === 'pace';
}

export function isBoardToHost(value: unknown): value is BoardToHost {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'ready' || t === 'command' || t === 'revealGreenlet' || t === 'error' || t === 'consumed';
}
