// The dark and light themes outside VS Code (?theme=dark|light): both draw,
// their backgrounds differ, and the colour comes from the theme's --vscode-*
// variables. Screenshots of both are kept in test-artifacts/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, board, EXAMPLES, servedRecording } from './support';

const served = servedRecording(`${EXAMPLES}/bounded_queue.py`);

interface Look { bodyClass: string; background: string; from: string | null; variables: Record<string, string> }

/**
 * The page's background (the first non-transparent one from <body> up) and
 * which --vscode-* variable of the theme resolves to the same colour.
 */
const LOOK = `(() => {
  const resolve = (value) => { const d = document.createElement('div'); d.style.backgroundColor = value; document.body.append(d);
    const c = getComputedStyle(d).backgroundColor; d.remove(); return c; };
  let el = document.body, background = 'rgba(0, 0, 0, 0)';
  for (; el; el = el.parentElement) { background = getComputedStyle(el).backgroundColor; if (background !== 'rgba(0, 0, 0, 0)' && background !== 'transparent') break; }
  const names = new Set();
  for (const sheet of document.styleSheets) { let rules; try { rules = sheet.cssRules; } catch { continue; }
    for (const rule of rules) if (rule.style) for (const p of rule.style) if (p.startsWith('--vscode-')) names.add(p); }
  const root = getComputedStyle(document.documentElement), variables = {};
  for (const n of [...names].sort()) { const v = root.getPropertyValue(n).trim(); if (v) variables[n] = v; }
  // The editor's background first, then any background colour, then any variable at all.
  const order = Object.keys(variables).sort((a, b) => (b === '--vscode-editor-background') - (a === '--vscode-editor-background')
    || /background/i.test(b) - /background/i.test(a));
  const from = order.find((n) => resolve(variables[n]) === background) ?? null;
  return { bodyClass: document.body.className, background, from, variables };
})()`;

test('dark and light both render, with different backgrounds taken from the theme variables', async () => {
  const looks: Record<string, Look> = {};
  for (const theme of ['dark', 'light'] as const) {
    const shot = path.join(ARTIFACTS, `board-${theme}.png`);
    looks[theme] = await board(served.browser, `theme-${theme}`, `${served.server.url}?theme=${theme}`, async (page, watched) => {
      await page.locator('[data-view=greenlets] tr[data-g]').first().waitFor();
      await page.screenshot({ path: shot, fullPage: true });
      const look = await page.evaluate(LOOK) as Look;
      assert.deepEqual(watched.errors(), []);
      return look;
    });
    assert.ok(fs.statSync(shot).size > 5000, `${shot} is a real screenshot`);
    console.log(`# ${theme}: background ${looks[theme]!.background} from ${looks[theme]!.from}; screenshot ${shot}`);
  }
  const dark = looks['dark']!;
  const light = looks['light']!;
  assert.match(dark.bodyClass, /\bvscode-dark\b/);
  assert.match(light.bodyClass, /\bvscode-light\b/);
  assert.ok(Object.keys(dark.variables).length > 0, 'the dark theme defines --vscode-* variables');
  assert.notEqual(dark.background, light.background, 'the backgrounds differ');
  assert.ok(dark.from !== null, `dark background ${dark.background} is none of the theme variables`);
  assert.ok(light.from !== null, `light background ${light.background} is none of the theme variables`);
  assert.notEqual(dark.variables[dark.from!], light.variables[dark.from!], `${dark.from} differs between the themes`);
  // Dark is darker than light.
  const luminance = (rgb: string): number => {
    const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  assert.ok(luminance(dark.background) < luminance(light.background), `${dark.background} vs ${light.background}`);
});
