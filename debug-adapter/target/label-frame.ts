/**
 * The frame that stands for a greenlet with no frame to show (one that has
 * not run or has ended, in a live program; one with no recorded stack, in a
 * replay), so its Greenlet scope can still be opened: at its spawn site when
 * that is a file, else a bare label.
 */
import * as path from 'path';
import type { GreenletView } from '../../shared/model/state';
import type { TargetFrame } from './debug-target';

export function labelFrame(id: number, g: GreenletView, what: string): TargetFrame {
  const site = g.spawnSite;
  const name = `${g.label} ${what}`;
  if (site !== null && path.isAbsolute(site.file)) return { id, name, file: site.file, line: site.line, hint: 'subtle' };
  return { id, name, file: null, line: 0, hint: 'label' };
}
