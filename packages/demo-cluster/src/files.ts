/*
 * Scenario files that the demo cluster serves and reloads when they change
 * on disk: a change, once the files have been quiet for a moment, is read
 * again and the differences reach the watches as events (Store.replace).
 *
 * Editors save in many ways (write in place, write a temporary file and
 * rename it over, truncate then write), so every event under an input only
 * schedules a reread of all inputs, directories are watched recursively and
 * a file input through its directory (a rename replaces the file's inode).
 * A file that no longer parses keeps the objects it last gave, with a
 * warning, rather than deleting them half-way through a save.
 */
import {
  FSWatcher,
  readdirSync,
  readFileSync,
  statSync,
  watch as watchPath,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  KubeObject,
  LoadResult,
  mergeLoadResults,
  parseDocuments,
} from '@internal/plugin-traffic-path-common';
import { ChangeSummary, DemoCluster } from './server';

const manifest = /\.(json|ya?ml)$/i;

/** Editors' lock and backup files that look like manifests (`.#a.yaml`). */
function isEditorFile(name: string): boolean {
  return name.startsWith('.#');
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return manifest.test(entry.name) && !isEditorFile(entry.name)
        ? [full]
        : [];
    });
}

export type ScenarioRead = {
  objects: KubeObject[];
  /** Problems in the files, one line each (the objects that could be read are served). */
  warnings: string[];
};

function describe(e: LoadResult['errors'][number]): string {
  return `${e.source}${e.item ? ` (${e.item})` : ''}: ${e.message}`;
}

/** The named files and directories (recursively: .json, .yaml, .yml), read as the CLI reads them. */
export class ScenarioFiles {
  private readonly paths: string[];
  /** file → its text and what it gave when it last parsed without errors. */
  private readonly cache = new Map<
    string,
    { text: string; load: LoadResult }
  >();

  constructor(readonly inputs: string[], private readonly cwd = process.cwd()) {
    this.paths = inputs.map(i => resolve(cwd, i));
  }

  /** Reads every file; an input that does not exist is an error (on the first read: see reread). */
  read(): ScenarioRead {
    for (const [i, path] of this.paths.entries()) {
      try {
        statSync(path);
      } catch {
        throw new Error(`${this.inputs[i]}: no such file or directory`);
      }
    }
    return this.reread();
  }

  /** Reads the files again; a file that vanished or no longer parses is reported. */
  reread(): ScenarioRead {
    const warnings: string[] = [];
    const results: LoadResult[] = [];
    const seen = new Set<string>();
    for (const [i, path] of this.paths.entries()) {
      let files: string[];
      try {
        files = filesUnder(path);
      } catch {
        warnings.push(`${this.inputs[i]}: no such file or directory`);
        continue;
      }
      for (const file of files) {
        if (seen.has(file)) continue;
        seen.add(file);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue; // removed between listing and reading: gone
        }
        const name = relative(this.cwd, file) || file;
        const cached = this.cache.get(file);
        if (cached && cached.text === text) {
          results.push(cached.load);
          continue;
        }
        const load = parseDocuments(name, text);
        const unreadable = load.errors.some(e =>
          /^(cannot parse|invalid YAML)/.test(e.message),
        );
        if (unreadable && cached) {
          warnings.push(
            `${name}: ${load.errors
              .map(e => e.message)
              .join('; ')} (still serving what it held before)`,
          );
          results.push(cached.load);
          continue;
        }
        warnings.push(...load.errors.map(describe));
        if (!unreadable) this.cache.set(file, { text, load });
        results.push(load);
      }
    }
    for (const file of [...this.cache.keys()])
      if (!seen.has(file)) this.cache.delete(file);
    return { objects: mergeLoadResults(results).objects, warnings };
  }

  /**
   * Calls `onChange` after something under the inputs changed and then
   * stayed quiet for `debounceMs`. Polls every `pollMs` instead where the
   * platform cannot watch (or when `pollMs` is given).
   */
  watch(
    onChange: () => void,
    options: { debounceMs?: number; pollMs?: number } = {},
  ): () => void {
    const debounceMs = options.debounceMs ?? 200;
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, debounceMs);
    };
    const watchers: FSWatcher[] = [];
    let poll: NodeJS.Timeout | undefined;
    const startPolling = (ms: number) => {
      let last = this.fingerprint();
      poll = setInterval(() => {
        const now = this.fingerprint();
        if (now !== last) {
          last = now;
          changed();
        }
      }, ms);
    };
    if (options.pollMs) {
      startPolling(options.pollMs);
    } else {
      try {
        for (const path of this.paths) {
          const isDir = statSync(path).isDirectory();
          const w = isDir
            ? watchPath(path, { recursive: true }, changed)
            : watchPath(dirname(path), (_event, file) => {
                if (!file || String(file) === basename(path)) changed();
              });
          watchers.push(w);
        }
      } catch {
        watchers.forEach(w => w.close());
        watchers.length = 0;
        startPolling(1000);
      }
    }
    return () => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      watchers.forEach(w => w.close());
    };
  }

  /** Names, sizes and modification times of the files: what polling compares. */
  private fingerprint(): string {
    const parts: string[] = [];
    for (const path of this.paths) {
      try {
        for (const file of filesUnder(path)) {
          const s = statSync(file);
          parts.push(`${file}:${s.size}:${s.mtimeMs}`);
        }
      } catch {
        parts.push(`${path}:missing`);
      }
    }
    return parts.join('\n');
  }
}

export type Reloader = {
  /** Stops watching the files. */
  stop(): void;
  /** Rereads the files now and applies the differences. */
  reload(): ChangeSummary[];
};

/**
 * Keeps `cluster` serving what `files` hold: every change on disk becomes
 * watch events. `onReload` hears each reread (with its changes and warnings).
 */
export function reloadOnChange(
  cluster: DemoCluster,
  files: ScenarioFiles,
  options: {
    debounceMs?: number;
    pollMs?: number;
    onReload?: (changes: ChangeSummary[], warnings: string[]) => void;
  } = {},
): Reloader {
  const reload = () => {
    const { objects, warnings } = files.reread();
    const changes = cluster.replace(objects);
    options.onReload?.(changes, warnings);
    return changes;
  };
  const stop = files.watch(reload, options);
  return { stop, reload };
}
