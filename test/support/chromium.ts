/**
 * Debian's Chromium for the board and end-to-end tests, through
 * playwright-core (which never downloads a browser). Its caches and dconf go
 * to the run's own folder, not the user's home.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['GREENLET_LENS_CHROMIUM'] || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts Chromium with `runDir/chromium-home` as its HOME. */
export function launchChromium(runDir: string): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium`);
  const home = path.join(runDir, 'chromium-home');
  fs.mkdirSync(home, { recursive: true });
  const env = { ...(process.env as Record<string, string>), HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: path.join(home, '.config') };
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000, env });
}
