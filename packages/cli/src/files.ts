/*
 * Reads the named files and directories (recursively: .json, .yaml, .yml)
 * into one load result. A path that does not exist is a usage error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  LoadResult,
  mergeLoadResults,
  parseDocuments,
} from '@internal/plugin-traffic-path-common';
import { UsageError } from './args';

const manifest = /\.(json|ya?ml)$/i;

function filesUnder(path: string, shownAs = path): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`${shownAs}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return manifest.test(entry.name) ? [full] : [];
    });
}

export function loadInputs(inputs: string[], cwd = process.cwd()): LoadResult {
  const results = inputs
    .flatMap(input => filesUnder(resolve(cwd, input), input))
    .map(file => {
      const text = readFileSync(file, 'utf8');
      const name = relative(cwd, file) || file;
      return parseDocuments(name, text);
    });
  return mergeLoadResults(results);
}
