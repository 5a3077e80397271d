/**
 * Program text made safe to show: bidirectional control characters (the
 * right-to-left override and its kin) in a greenlet name, a mark label or an
 * exception message would reorder what is printed after them, in a terminal
 * as on the board, and can make one name read as another. They are shown as
 * visible escapes instead (docs/security.md).
 */

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}
