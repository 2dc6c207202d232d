/*
 * The real `kubectl get … -w --output-watch-events -o json`, running in the
 * background: its output is a run of indented JSON documents, split here
 * into events as they arrive.
 */
import { ChildProcess, spawn } from 'node:child_process';

export type KubectlEvent = {
  type: string;
  object: {
    metadata: { name: string; resourceVersion?: string };
    [k: string]: any;
  };
};

export type KubectlWatch = {
  events: KubectlEvent[];
  stderr(): string;
  waitFor(
    test: (events: KubectlEvent[]) => boolean,
    ms?: number,
  ): Promise<KubectlEvent[]>;
  stop(): void;
};

/** Splits concatenated JSON documents; returns the complete ones and the rest of the text. */
export function splitJsonDocuments(text: string): {
  documents: string[];
  rest: string;
} {
  const documents: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let consumed = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        documents.push(text.slice(start, i + 1));
        consumed = i + 1;
      }
    }
  }
  return { documents, rest: text.slice(consumed) };
}

export function kubectlWatch(kubeconfig: string, args: string[]): KubectlWatch {
  const child: ChildProcess = spawn(
    'kubectl',
    [
      '--kubeconfig',
      kubeconfig,
      'get',
      ...args,
      '--watch',
      '--output-watch-events',
      '-o',
      'json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: KubectlEvent[] = [];
  const waiters: (() => void)[] = [];
  let pending = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const { documents, rest } = splitJsonDocuments(pending + chunk);
    pending = rest;
    for (const d of documents) events.push(JSON.parse(d));
    waiters.splice(0).forEach(w => w());
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  return {
    events,
    stderr: () => stderr,
    waitFor(test, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `kubectl ${args.join(
                  ' ',
                )} -w: waited ${ms} ms; events ${JSON.stringify(
                  events.map(e => [e.type, e.object.metadata.name]),
                )}; stderr: ${stderr}`,
              ),
            ),
          ms,
        );
        const check = () => {
          if (test(events)) {
            clearTimeout(timer);
            resolve(events);
          } else waiters.push(check);
        };
        check();
      });
    },
    stop: () => {
      child.kill();
    },
  };
}
