/*
 * Defensive readers for fields of objects that nobody validated: a wrong
 * type reads as absent, so one odd field never takes the engine down.
 */
import { KubeObject, ObjectRef } from '../model';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const splitPaths = new Map<string, string[]>();

/** Reads a dotted path (`spec.rules`) from an object. */
export function field(obj: unknown, path: string): unknown {
  if (path.indexOf('.') < 0) return isRecord(obj) ? obj[path] : undefined;
  // Paths are a few dozen literals: split each once, not once per object.
  let parts = splitPaths.get(path);
  if (!parts) {
    parts = path.split('.');
    splitPaths.set(path, parts);
  }
  let current: unknown = obj;
  for (const part of parts) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

export function str(obj: unknown, path: string): string | undefined {
  const v = field(obj, path);
  return typeof v === 'string' ? v : undefined;
}

export function num(obj: unknown, path: string): number | undefined {
  const v = field(obj, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(obj: unknown, path: string): boolean | undefined {
  const v = field(obj, path);
  return typeof v === 'boolean' ? v : undefined;
}

export function arr(obj: unknown, path: string): unknown[] {
  const v = field(obj, path);
  return Array.isArray(v) ? v : [];
}

export function records(obj: unknown, path: string): Json[] {
  const list = arr(obj, path);
  // Hot path: a well-formed list is returned as it is (callers never mutate it).
  // An index loop, not every(): every() skips the holes of sparse arrays.
  for (let i = 0; i < list.length; i++) {
    if (!isRecord(list[i])) return list.filter(isRecord);
  }
  return list as Json[];
}

export function strings(obj: unknown, path: string): string[] {
  return arr(obj, path).filter((s): s is string => typeof s === 'string');
}

/** A string map such as labels, annotations or a selector; odd values dropped. */
export function stringMap(obj: unknown, path: string): Record<string, string> {
  const v = field(obj, path);
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean')
      out[k] = String(val);
  }
  return out;
}

/** An int-or-string field (ports): numbers as numbers, numeric strings too. */
export function intOrString(
  obj: unknown,
  path: string,
): number | string | undefined {
  const v = field(obj, path);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

/** One label or annotation, without copying the map (hot path). */
function mapEntry(
  obj: KubeObject,
  which: 'labels' | 'annotations',
  name: string,
): string | undefined {
  const map = isRecord(obj.metadata) ? obj.metadata[which] : undefined;
  if (!isRecord(map)) return undefined;
  const v = map[name];
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : undefined;
}

export function annotation(obj: KubeObject, name: string): string | undefined {
  return mapEntry(obj, 'annotations', name);
}

export function label(obj: KubeObject, name: string): string | undefined {
  return mapEntry(obj, 'labels', name);
}

export function refOf(obj: KubeObject): ObjectRef {
  return obj.metadata.namespace
    ? {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
      }
    : { kind: obj.kind, name: obj.metadata.name };
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? 'default';
}

export function describeRef(ref: ObjectRef): string {
  return ref.namespace
    ? `${ref.kind} ${ref.namespace}/${ref.name}`
    : `${ref.kind} ${ref.name}`;
}
