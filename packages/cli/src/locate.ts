/*
 * Where an object came from: the file its (last) copy was read from, and the
 * line its mapping starts at, so that CI annotations point at the manifest.
 * Lines come from YAML's own parser (JSON is YAML), computed per file on first
 * need: a gate with no findings parses nothing twice.
 *
 * `helm template` prints `# Source: <chart>/templates/<file>` before each
 * document: given a way to find those templates in the repository, an object
 * is located at its template (the line of its `kind:` when that is
 * unambiguous) instead of the generated text nobody edits.
 */
import { isMap, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { LoadResult, ObjectRef } from '@internal/plugin-traffic-path-common';

export type Location = {
  file: string;
  line?: number;
  /** When `file` is the Helm template: where the object is in the rendered input. */
  rendered?: { file: string; line?: number };
};

/** A Helm template found in the repository: its name (relative to the current directory) and text. */
export type Template = { file: string; text: string };

/** Finds the template a `# Source:` comment names, if the repository holds it. */
export type TemplateLookup = (source: string) => Template | undefined;

/** Where an object's mapping is in a text, and the template it was rendered from. */
type Spot = {
  line: number;
  /** The `# Source:` of its document. */
  source?: string;
  /** Among the documents of this source and kind, this one's position (0-based). */
  ordinal?: number;
};

type FileSpots = {
  spots: Map<string, Spot>;
  /** Documents per source and kind. */
  rendered: Map<string, number>;
};

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
  out: Map<string, Spot>,
  listKind: string | undefined,
  depth: number,
  template: Omit<Spot, 'line'>,
): void {
  if (depth > 4) return;
  if (isSeq(node)) {
    for (const item of node.items)
      collect(item, lines, out, listKind, depth + 1, {});
    return;
  }
  if (!isMap(node)) return;
  const kind = scalar(node, 'kind') ?? listKind;
  const metadata = node.get('metadata', true);
  const name = scalar(metadata, 'name');
  const start = (node as Node).range?.[0];
  if (kind && name && start !== undefined) {
    const spot = { line: lines.linePos(start).line, ...template };
    out.set(key(kind, scalar(metadata, 'namespace'), name), spot);
    // Without a namespace in the manifest, the object is found by kind and name too.
    if (!out.has(key(kind, '*', name))) out.set(key(kind, '*', name), spot);
  }
  for (const pair of node.items) {
    const k = (pair.key as { value?: unknown } | null)?.value;
    if (k === 'metadata' || k === 'spec' || k === 'status') continue;
    if (isSeq(pair.value)) {
      const itemKind =
        k === 'items' && kind?.endsWith('List')
          ? kind.slice(0, -'List'.length) || undefined
          : undefined;
      collect(pair.value, lines, out, itemKind, depth + 1, {});
    }
  }
}

const sourceComment = /^ ?Source: (\S.*?)\s*$/m;

/** The template a document was rendered from, as `helm template` names it before the document. */
function templateOf(doc: {
  commentBefore?: string | null;
  contents: unknown;
}): string | undefined {
  const before = [
    doc.commentBefore,
    (doc.contents as { commentBefore?: string | null } | null)?.commentBefore,
  ];
  for (const comment of before) {
    const match = comment ? sourceComment.exec(comment) : null;
    if (match) return match[1];
  }
  return undefined;
}

function spotsOf(text: string): FileSpots {
  const spots = new Map<string, Spot>();
  const rendered = new Map<string, number>();
  if (text.length > maxLocatedBytes) return { spots, rendered };
  const lines = new LineCounter();
  try {
    for (const doc of parseAllDocuments(text, {
      lineCounter: lines,
      uniqueKeys: false,
    })) {
      const source = templateOf(doc);
      const kind = scalar(doc.contents, 'kind');
      let template = {};
      if (source !== undefined && kind !== undefined) {
        const count = `${source}\n${kind}`;
        const ordinal = rendered.get(count) ?? 0;
        rendered.set(count, ordinal + 1);
        template = { source, ordinal };
      }
      collect(doc.contents, lines, spots, undefined, 0, template);
    }
  } catch {
    // Text the engine could not read either: its input errors say why; no lines here.
  }
  return { spots, rendered };
}

/** The 1-based lines of a template's top-level `kind: <kind>`. */
function kindLines(text: string, kind: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /^kind:\s*(["']?)([^\s"'#]+)\1\s*(#.*)?$/.exec(line);
    if (match && match[2] === kind) out.push(i + 1);
  });
  return out;
}

/**
 * The line of the `kind:` that rendered this document: the only one of its
 * kind in the template, or the n-th of n when the template rendered as many
 * documents of that kind as it has such lines (matched in order); else none.
 */
function templateLine(
  template: Template,
  kind: string,
  ordinal: number,
  rendered: number,
): number | undefined {
  const lines = kindLines(template.text, kind);
  if (lines.length === 1) return lines[0];
  return lines.length === rendered ? lines[ordinal] : undefined;
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
  templates?: TemplateLookup,
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
  const fileSpots = new Map<string, FileSpots>();
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
    let spots = fileSpots.get(file);
    if (!spots) {
      spots = spotsOf(text);
      fileSpots.set(file, spots);
    }
    const spot =
      spots.spots.get(key(ref.kind, ref.namespace, ref.name)) ??
      spots.spots.get(key(ref.kind, undefined, ref.name)) ??
      spots.spots.get(key(ref.kind, '*', ref.name));
    if (!spot) return { file };
    const here = { file, line: spot.line };
    const template =
      spot.source !== undefined ? templates?.(spot.source) : undefined;
    if (!template || spot.ordinal === undefined) return here;
    const line = templateLine(
      template,
      ref.kind,
      spot.ordinal,
      spots.rendered.get(`${spot.source}\n${ref.kind}`) ?? 0,
    );
    return {
      file: template.file,
      ...(line !== undefined ? { line } : {}),
      rendered: here,
    };
  };
}
