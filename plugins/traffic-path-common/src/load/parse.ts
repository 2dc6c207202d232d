/*
 * From text to Kubernetes objects: JSON or (multi-document) YAML holding
 * single objects, arrays, `List` / `*List` objects, or objects grouped by
 * kind (`{ "services": [...] }`, as Backstage's own fixtures do).
 * Pure: the caller reads the files.
 */
import { parseAllDocuments } from 'yaml';
import { InputError, KubeObject } from '../model';
import { kindFromPlural } from './kinds';
import { validateObject } from './validate';

export type LoadResult = {
  objects: KubeObject[];
  errors: InputError[];
  /**
   * Kinds that were listed, even when the list was empty (e.g. `SecretList`),
   * and `Kind@namespace` for lists known to cover one namespace.
   */
  listedKinds: Set<string>;
  /**
   * Where the objects came from, in order: the first `count` objects from
   * the first source, and so on. Only read to name the files of an object
   * that two of them hold.
   */
  sources: { source: string; count: number }[];
};

export function emptyLoadResult(): LoadResult {
  return { objects: [], errors: [], listedKinds: new Set(), sources: [] };
}

/** The source an object at this position of `objects` came from. */
export function sourceAt(
  load: Pick<LoadResult, 'sources'>,
  position: number,
): string | undefined {
  let end = 0;
  for (const range of load.sources) {
    end += range.count;
    if (position < end) return range.source;
  }
  return undefined;
}

/** Parses one file's text. `source` names the file in errors. */
export function parseDocuments(source: string, text: string): LoadResult {
  const result = emptyLoadResult();
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collect(JSON.parse(text), source, '', undefined, result);
      return withSource(result, source);
    } catch (e) {
      // Not JSON after all: YAML is a superset, give it a try below.
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch (e) {
    result.errors.push({ source, message: `cannot parse: ${String(e)}` });
    return result;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const where = list.length > 1 ? `document ${i + 1}` : '';
    if (doc.errors.length > 0) {
      result.errors.push({
        source,
        item: where || undefined,
        message: `invalid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      });
      return;
    }
    collect(
      doc.toJS({ maxAliasCount: 1000 }),
      source,
      where,
      undefined,
      result,
    );
  });
  return withSource(result, source);
}

function withSource(result: LoadResult, source: string): LoadResult {
  result.sources = [{ source, count: result.objects.length }];
  return result;
}

/**
 * Checks objects that did not come from text (an API client's answer, say)
 * as parsed ones are checked; `source` names where they came from.
 */
export function loadObjects(values: unknown[], source = 'input'): LoadResult {
  const result = emptyLoadResult();
  collect(values, source, '', undefined, result);
  return withSource(result, source);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(where: string, index: number): string {
  return where ? `${where}, item ${index}` : `item ${index}`;
}

/** Walks a parsed value and collects the objects it holds. */
function collect(
  value: unknown,
  source: string,
  where: string,
  impliedKind: string | undefined,
  out: LoadResult,
): void {
  if (value === null || value === undefined) return; // empty YAML document
  if (Array.isArray(value)) {
    const kind = impliedKind ?? kindFromPlural(baseName(source));
    value.forEach((item, i) =>
      collect(item, source, describe(where, i), kind, out),
    );
    return;
  }
  if (!isRecord(value)) {
    out.errors.push({
      source,
      item: where || undefined,
      message: `expected a Kubernetes object, found ${typeof value}`,
    });
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (kind && kind.endsWith('List') && 'items' in value) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -4);
    if (itemKind) {
      out.listedKinds.add(itemKind);
      // A namespaced list (`kubectl get svc -n x`) says so in its selfLink.
      const selfLink = isRecord(value.metadata)
        ? value.metadata.selfLink
        : undefined;
      const ns =
        typeof selfLink === 'string'
          ? /\/namespaces\/([^/]+)\//.exec(selfLink)?.[1]
          : undefined;
      if (ns) out.listedKinds.add(`${itemKind}@${ns}`);
    }
    if (!Array.isArray(value.items)) {
      out.errors.push({
        source,
        item: where || undefined,
        field: 'items',
        message: `${kind}.items is not an array`,
      });
      return;
    }
    value.items.forEach((item, i) =>
      collect(item, source, describe(where, i), itemKind, out),
    );
    return;
  }
  if (
    !kind &&
    Array.isArray(value.items) &&
    !(isRecord(value.metadata) && typeof value.metadata.name === 'string')
  ) {
    // A list that lost its kind (`{"metadata": {...}, "items": [...]}`): the file name may tell.
    const itemKind = impliedKind ?? kindFromPlural(baseName(source));
    if (itemKind) out.listedKinds.add(itemKind);
    value.items.forEach((item, i) =>
      collect(item, source, describe(where, i), itemKind, out),
    );
    return;
  }
  if (!kind && !('metadata' in value)) {
    // Objects grouped by kind: { "services": [...], "ingresses": [...] }.
    const groups = Object.entries(value).filter(
      ([key, v]) => Array.isArray(v) && kindFromPlural(key),
    );
    if (groups.length > 0) {
      for (const [key, items] of groups) {
        const groupKind = kindFromPlural(key)!;
        out.listedKinds.add(groupKind);
        collect(
          items,
          source,
          where ? `${where}, ${key}` : key,
          groupKind,
          out,
        );
      }
      return;
    }
  }
  addObject(value, source, where, impliedKind, out);
}

function addObject(
  value: Record<string, unknown>,
  source: string,
  where: string,
  impliedKind: string | undefined,
  out: LoadResult,
): void {
  const kind = typeof value.kind === 'string' ? value.kind : impliedKind;
  const metadata = value.metadata;
  const name = isRecord(metadata) ? metadata.name : undefined;
  const item = (label: string) =>
    [where, label].filter(Boolean).join(', ') || undefined;
  if (!kind) {
    out.errors.push({
      source,
      item: item(typeof name === 'string' ? `name ${name}` : ''),
      field: 'kind',
      message: 'object has no kind, and no list or file name implies one',
    });
    return;
  }
  if (!isRecord(metadata) || typeof name !== 'string' || name === '') {
    out.errors.push({
      source,
      item: item(kind),
      field: 'metadata.name',
      message: `${kind} has no metadata.name`,
    });
    return;
  }
  if (
    metadata.namespace !== undefined &&
    typeof metadata.namespace !== 'string'
  ) {
    out.errors.push({
      source,
      item: item(`${kind} ${name}`),
      field: 'metadata.namespace',
      message: `${kind} ${name}: metadata.namespace is not a string`,
    });
    return;
  }
  // Items of typed lists (`PodList`) lack their kind: put it back on a copy; others are used as they are.
  const object = (
    value.kind === kind ? value : { ...value, kind }
  ) as KubeObject;
  for (const problem of validateObject(object)) {
    out.errors.push({
      source,
      item: item(
        `${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${name}`,
      ),
      field: problem.field,
      message: `${kind} ${name}: ${problem.message}`,
    });
  }
  out.objects.push(object);
}

function baseName(source: string): string {
  const file = source.split(/[\\/]/).pop() ?? source;
  return file.replace(/\.(json|ya?ml)$/i, '');
}

/** Merges several load results into one. */
export function mergeLoadResults(results: LoadResult[]): LoadResult {
  const merged = emptyLoadResult();
  for (const r of results) {
    for (const o of r.objects) merged.objects.push(o);
    for (const e of r.errors) merged.errors.push(e);
    // Results made by hand may not say where their objects came from.
    const named = r.sources.reduce((n, range) => n + range.count, 0);
    merged.sources.push(...r.sources);
    if (named < r.objects.length)
      merged.sources.push({ source: 'input', count: r.objects.length - named });
    r.listedKinds.forEach(k => merged.listedKinds.add(k));
  }
  return merged;
}
