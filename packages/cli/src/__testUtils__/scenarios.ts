/*
 * Test helper: loads a scenario of test/scenarios (its files, and those its
 * expected.yaml includes) the way the CLI loads files.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ResolveOptions } from '@internal/plugin-traffic-path-common';
import { loadInputs } from '../files';

export const scenariosDir = resolve(__dirname, '../../../../test/scenarios');

export type ExpectedRoute = {
  id: string;
  hops?: string[];
  hopDetails?: { kind: string; [key: string]: unknown }[];
  [key: string]: unknown;
};
export type Case = {
  options?: ResolveOptions;
  routes?: ExpectedRoute[];
  findings?: Record<string, unknown>[];
  noFindings?: string[];
};
export type Expected = { include?: string[]; cases: Case[] };

export function loadScenario(name: string) {
  const dir = join(scenariosDir, name);
  const expected: Expected = existsSync(join(dir, 'expected.yaml'))
    ? parse(readFileSync(join(dir, 'expected.yaml'), 'utf8'))
    : { cases: [] };
  // Included files come first, so that the scenario's own objects replace theirs.
  const inputs = [
    ...(expected.include ?? []).map(i => join(dir, i)),
    join(dir, 'cluster'),
  ];
  return { load: loadInputs(inputs, scenariosDir), expected };
}
