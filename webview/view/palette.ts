/**
 * Canvas colours, resolved from the theme's --vscode-* variables (a canvas
 * cannot use var() itself). Re-read whenever the theme changes: VS Code
 * swaps the body class and the variables in place without reloading.
 */

export interface Palette {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly running: string;
  readonly runnable: string;
  readonly blocked: string;
  readonly spawn: string;
  readonly exception: string;
  readonly cursor: string;
  readonly selection: string;
  readonly font: string;
}

const VARIABLES: Readonly<Record<Exclude<keyof Palette, 'font'>, readonly string[]>> = {
  // Each entry lists fallbacks: not every theme defines every variable.
  background: ['--vscode-editor-background', '--vscode-sideBar-background'],
  foreground: ['--vscode-editor-foreground', '--vscode-foreground'],
  muted: ['--vscode-descriptionForeground', '--vscode-foreground'],
  grid: ['--vscode-panel-border', '--vscode-widget-border', '--vscode-descriptionForeground'],
  running: ['--vscode-charts-green', '--vscode-testing-iconPassed'],
  runnable: ['--vscode-charts-yellow', '--vscode-charts-orange'],
  blocked: ['--vscode-charts-blue', '--vscode-textLink-foreground'],
  spawn: ['--vscode-charts-purple', '--vscode-charts-blue'],
  exception: ['--vscode-errorForeground', '--vscode-charts-red'],
  cursor: ['--vscode-focusBorder', '--vscode-editorCursor-foreground'],
  selection: ['--vscode-list-activeSelectionBackground', '--vscode-editor-selectionBackground'],
};

export function readPalette(from: Element = document.body): Palette {
  const style = getComputedStyle(from);
  // The body's own colour is var(--vscode-foreground) in board.css: the last resort.
  const fallback = style.color;
  const pick = (names: readonly string[]): string => {
    for (const name of names) {
      const v = style.getPropertyValue(name).trim();
      if (v !== '') return v;
    }
    return fallback;
  };
  const out = {} as Record<keyof Palette, string>;
  for (const [key, names] of Object.entries(VARIABLES) as [Exclude<keyof Palette, 'font'>, readonly string[]][]) out[key] = pick(names);
  const family = style.getPropertyValue('--vscode-font-family').trim() || style.fontFamily;
  out.font = `11px ${family}`;
  return out;
}

/** Calls `onChange` when the theme changes (body class or style attribute, as VS Code sets them). */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  new MutationObserver(onChange).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
}
