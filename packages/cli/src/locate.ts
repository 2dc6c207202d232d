/*
 * Where an object came from: the file its (last) copy was read from, and the
 * line its mapping starts at, so that CI annotations point at the manifest.
 * Lines come from YAML's own parser (JSON is YAML), computed per file on first
 * need: a gate with no findings parses nothing twice.
 */
import { isMap, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { LoadResult, ObjectRef } from '@internal/plugin-traffic-path-common';

export type Location = { file: string; line?: number };

/** Files larger than this are named without a line: their lines would cost more than the check. */
const maxLocatedBytes = 5 * 1024 * 1024;

function key(kind: string, namespace: string | undefined, name: string) {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function scalar(node: unknown, name: string): string | undefined {
  if (!isMap(node)) return undefined;
  const value = node.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** Collects the start line of every object mapping in a document, lists and groups included. */
function collect(
  node: unknown,
  lines: LineCounter,
  out: Map<string, number>,
  listKind: string | undefined,
  depth: number,
): void {
  if (depth > 4) return;
  if (isSeq(node)) {
    for (const item of node.items)
      collect(item, lines, out, listKind, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  const kind = scalar(node, 'kind') ?? listKind;
  const metadata = node.get('metadata', true);
  const name = scalar(metadata, 'name');
  const start = (node as Node).range?.[0];
  if (kind && name && start !== undefined) {
    const line = lines.linePos(start).line;
    out.set(key(kind, scalar(metadata, 'namespace'), name), line);
    // Without a namespace in the manifest, the object is found by kind and name too.
    if (!out.has(key(kind, '*', name))) out.set(key(kind, '*', name), line);
  }
  for (const pair of node.items) {
    const k = (pair.key as { value?: unknown } | null)?.value;
    if (k === 'metadata' || k === 'spec' || k === 'status') continue;
    if (isSeq(pair.value)) {
      const itemKind =
        k === 'items' && kind?.endsWith('List')
          ? kind.slice(0, -'List'.length) || undefined
          : undefined;
      collect(pair.value, lines, out, itemKind, depth + 1);
    }
  }
}

function linesOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  if (text.length > maxLocatedBytes) return out;
  const lines = new LineCounter();
  try {
    for (const doc of parseAllDocuments(text, {
      lineCounter: lines,
      uniqueKeys: false,
    })) {
      collect(doc.contents, lines, out, undefined, 0);
    }
  } catch {
    // Text the engine could not read either: its input errors say why; no lines here.
  }
  return out;
}

/**
 * Locates these objects of a load result in the texts they were read from.
 * One pass over the objects, comparing names first: a 50k-pod dump with a
 * handful of findings builds no index of all its objects.
 */
export function locateObjects(
  load: LoadResult,
  texts: Map<string, string>,
  refs: ObjectRef[],
): (ref: ObjectRef) => Location | undefined {
  const names = new Set(refs.map(r => r.name));
  const lastIndex = new Map<string, number>();
  load.objects.forEach((o, i) => {
    if (!names.has(o.metadata.name)) return;
    const namespace =
      typeof o.metadata.namespace === 'string'
        ? o.metadata.namespace
        : undefined;
    lastIndex.set(key(o.kind, namespace, o.metadata.name), i);
    lastIndex.set(key(o.kind, '*', o.metadata.name), i);
  });
  const fileLines = new Map<string, Map<string, number>>();
  const sourceOf = (position: number): string | undefined => {
    let end = 0;
    for (const range of load.sources) {
      end += range.count;
      if (position < end) return range.source;
    }
    return undefined;
  };
  return ref => {
    const position =
      lastIndex.get(key(ref.kind, ref.namespace, ref.name)) ??
      (ref.namespace === 'default' || ref.namespace === undefined
        ? lastIndex.get(key(ref.kind, undefined, ref.name))
        : undefined) ??
      lastIndex.get(key(ref.kind, '*', ref.name));
    if (position === undefined) return undefined;
    const file = sourceOf(position);
    if (!file) return undefined;
    const text = texts.get(file);
    if (text === undefined) return { file };
    let lines = fileLines.get(file);
    if (!lines) {
      lines = linesOf(text);
      fileLines.set(file, lines);
    }
    const line =
      lines.get(key(ref.kind, ref.namespace, ref.name)) ??
      lines.get(key(ref.kind, undefined, ref.name)) ??
      lines.get(key(ref.kind, '*', ref.name));
    return line !== undefined ? { file, line } : { file };
  };
}
