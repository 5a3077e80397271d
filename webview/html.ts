/**
 * The board's page, as a pure function of its inputs (docs/board.md, "Page
 * and boot"). The VS Code panel (extension/) and `greenlet-lens view` (cli/)
 * both import this in Node, so it touches no DOM and no Node-only module:
 * the nonce comes from Web Crypto, which Node 20 and browsers both have.
 *
 * The page is an empty shell: the bundle builds every view itself, so no
 * program data ever passes through this HTML except inside the boot JSON,
 * which is escaped so that it cannot close its <script> element.
 */

import type { BoardBoot } from '../shared/protocol/board-messages';

export interface BoardHtmlOptions {
  /** URL of dist/webview/board.js, as the page may load it. */
  readonly scriptUri: string;
  /** URL of dist/webview/board.css. */
  readonly styleUri: string;
  /**
   * URL of theme-dark.css or theme-light.css outside VS Code (VS Code
   * supplies the --vscode-* variables itself, so the panel passes none).
   */
  readonly themeUri?: string;
  /** Fresh for every page load (makeNonce()). */
  readonly nonce: string;
  /** Where styles, images, fonts and fetches may come from: webview.cspSource, or "'self'". */
  readonly cspSource: string;
  readonly boot: BoardBoot;
  readonly title: string;
}

/** Nonces are base64/alphanumeric; anything else could break out of the attribute or the policy. */
const NONCE_PATTERN = /^[A-Za-z0-9+/_=-]{16,}$/;
/** A CSP source list: no ';' or ',' (which would start another directive or policy) and no quotes of the HTML kind. */
const CSP_SOURCE_PATTERN = /^[^;,"<>\r\n]+$/;

/** The Content-Security-Policy the page declares (docs/board.md). */
export function boardCsp(nonce: string, cspSource: string): string {
  checkNonce(nonce);
  if (!CSP_SOURCE_PATTERN.test(cspSource)) throw new Error(`renderBoardHtml: unusable cspSource ${JSON.stringify(cspSource)}`);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function renderBoardHtml(options: BoardHtmlOptions): string {
  const { nonce } = options;
  const csp = boardCsp(nonce, options.cspSource);
  const theme = options.themeUri === undefined
    ? ''
    : `\n<link rel="stylesheet" id="board-theme" href="${escapeAttribute(options.themeUri)}">`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeText(options.title)}</title>${theme}
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
</head>
<body>
<div id="board" class="board"></div>
<script type="application/json" id="board-boot" nonce="${nonce}">${embedJson(options.boot)}</script>
<script src="${escapeAttribute(options.scriptUri)}" nonce="${nonce}"></script>
</body>
</html>
`;
}

/**
 * 128 random bits as 32 alphanumeric characters. The modulo bias of 256 % 62
 * is irrelevant here: a nonce only has to be unguessable, not uniform.
 */
export function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/**
 * JSON that can sit inside <script type="application/json">: `<` (which could
 * start `</script>` or `<!--`), `>` and `&` become \u escapes, as do U+2028/9.
 * JSON.parse reads them back as the same characters.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** For double-quoted attributes only (all this file writes): `'` may stay, which keeps the CSP readable. */
export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

function checkNonce(nonce: string): void {
  if (!NONCE_PATTERN.test(nonce)) throw new Error('renderBoardHtml: the nonce must be 16+ base64 characters');
}
