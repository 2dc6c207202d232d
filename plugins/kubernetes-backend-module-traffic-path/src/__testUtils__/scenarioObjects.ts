/*
 * The objects of scenario files and directories (their YAML and JSON files,
 * recursively), for the demo cluster of a test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  KubeObject,
  mergeLoadResults,
  parseDocuments,
} from '@internal/plugin-traffic-path-common';

function filesUnder(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return /\.(json|ya?ml)$/i.test(entry.name) ? [path] : [];
    });
}

export function scenarioObjects(...paths: string[]): KubeObject[] {
  return mergeLoadResults(
    paths
      .flatMap(filesUnder)
      .map(file => parseDocuments(file, readFileSync(file, 'utf8'))),
  ).objects;
}
