/**
 * Findings as SARIF 2.1.0 (the format code-scanning tools read): one rule
 * per finding kind, one result per finding with its first source line as
 * the location and the others as related locations. Files under the
 * directory the check runs in are given relative to it (%SRCROOT%), so a CI
 * job that records and checks in its checkout links results to the code.
 */

import * as path from 'path';
import { pathToFileURL } from 'url';
import { FINDING_KINDS, KIND_SEVERITY, type Finding, type FindingKind, type Severity } from '../shared/analysis/finding';
import { explanationOf, summaryOf } from '../shared/analysis/lints/index';
import type { Frame } from '../shared/trace/events';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

interface Location {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
}

function location(site: Frame, root: string): Location {
  const abs = path.resolve(root, site.file);
  const rel = path.relative(root, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const artifactLocation = inside
    ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' }
    : { uri: pathToFileURL(abs).href };
  return { physicalLocation: { artifactLocation, region: { startLine: Math.max(1, site.line) } } };
}

function ruleName(kind: FindingKind): string {
  return kind.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function toSarif(findings: readonly Finding[], trace: string, root: string, version: string): object {
  const rules = FINDING_KINDS.map((kind) => ({
    id: kind,
    name: ruleName(kind),
    shortDescription: { text: summaryOf(kind) },
    fullDescription: { text: explanationOf(kind) },
    defaultConfiguration: { level: LEVEL[KIND_SEVERITY[kind]] },
  }));
  const results = findings.map((f) => {
    const [first, ...rest] = f.sites;
    const result: Record<string, unknown> = {
      ruleId: f.kind,
      ruleIndex: FINDING_KINDS.indexOf(f.kind),
      level: LEVEL[f.severity],
      message: { text: `${f.summary}: ${f.message}` },
      partialFingerprints: { 'greenletLens/v1': f.id },
      properties: { event: f.seq, timeUs: f.t, greenlets: f.greenlets, objects: f.objects, proof: f.proof },
    };
    if (first !== undefined) result['locations'] = [location(first, root)];
    if (rest.length > 0) result['relatedLocations'] = rest.map((s, i) => ({ id: i + 1, ...location(s, root) }));
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Greenlet Lens', semanticVersion: version, informationUri: 'https://github.com/greenlet-lens/greenlet-lens', rules } },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + path.sep).href } },
      artifacts: [{ location: { uri: pathToFileURL(path.resolve(trace)).href }, description: { text: 'the checked Greenlet Lens trace' } }],
      results,
    }],
  };
}
