/*
 * Test helper: reads scenarios of test/scenarios and the real dumps of
 * test/realdata from disk (files and directories, recursively, in name
 * order: .json, .yaml, .yml), as the CLI and the demo cluster read them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { LoadResult, mergeLoadResults, parseDocuments } from '../load/parse';
import { ResolveOptions } from '../report';

const repoRoot = resolve(__dirname, '../../../..');
export const scenariosDir = join(repoRoot, 'test/scenarios');
export const realdataDir = join(repoRoot, 'test/realdata');

const manifest = /\.(json|ya?ml)$/i;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return manifest.test(entry.name) ? [full] : [];
    });
}

/** Loads files and directories; sources are named relative to `base`. */
export function loadFiles(paths: string[], base: string): LoadResult {
  return mergeLoadResults(
    paths
      .flatMap(p => filesUnder(resolve(base, p)))
      .map(file =>
        parseDocuments(
          relative(base, file) || file,
          readFileSync(file, 'utf8'),
        ),
      ),
  );
}

export type ExpectedRoute = {
  id: string;
  hops?: string[];
  hopDetails?: { kind: string; [key: string]: unknown }[];
  [key: string]: unknown;
};
export type Case = {
  options?: ResolveOptions;
  routes?: ExpectedRoute[];
  /** Ids of routes that must not be in the report. */
  noRoutes?: string[];
  findings?: Record<string, unknown>[];
  noFindings?: string[];
};
export type Expected = { include?: string[]; cases: Case[] };

export function scenarioNames(): string[] {
  return readdirSync(scenariosDir).filter(
    n =>
      !n.startsWith('_') && existsSync(join(scenariosDir, n, 'expected.yaml')),
  );
}

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
  return { load: loadFiles(inputs, scenariosDir), expected };
}
