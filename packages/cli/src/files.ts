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

/** What was read, with the texts kept so that findings can be located at a line. */
export type ReadInputs = {
  load: LoadResult;
  /** The text of each source, by the name the load result gives it. */
  texts: Map<string, string>;
};

/** The name standard input has in messages and reports. */
export const stdinName = '<stdin>';

/**
 * Reads files, directories and `-` (standard input, read once) into one load
 * result, keeping each text.
 */
export async function readInputs(
  inputs: string[],
  cwd: string,
  readStdin?: () => Promise<string>,
): Promise<ReadInputs> {
  const texts = new Map<string, string>();
  const results: LoadResult[] = [];
  for (const input of inputs) {
    if (input === '-') {
      if (texts.has(stdinName))
        throw new UsageError('- (standard input) can be named only once');
      if (!readStdin) throw new UsageError('no standard input to read');
      const text = await readStdin();
      texts.set(stdinName, text);
      results.push(parseDocuments(stdinName, text));
      continue;
    }
    for (const file of filesUnder(resolve(cwd, input), input)) {
      const text = readFileSync(file, 'utf8');
      const name = relative(cwd, file) || file;
      texts.set(name, text);
      results.push(parseDocuments(name, text));
    }
  }
  return { load: mergeLoadResults(results), texts };
}
