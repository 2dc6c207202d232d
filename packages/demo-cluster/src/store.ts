/*
 * The objects the demo cluster serves, grouped by API resource, with the
 * fields a real API server always sets (apiVersion, kind, resourceVersion,
 * uid, creationTimestamp) and a Namespace for every namespace used.
 *
 * Like etcd behind an API server, the store has one resource version for
 * the whole cluster: every change (added, modified, deleted object) takes
 * the next one, is kept in a bounded history for watches that resume from
 * a version, and is handed to the subscribers (the open watches) as it
 * happens.
 */
import { createHash } from 'node:crypto';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import {
  alwaysServed,
  groupVersion,
  knownResource,
  Resource,
  resourceFor,
} from './resources';

export type Collection = {
  resource: Resource;
  /** `namespace/name` (cluster-scoped: `/name`) → the object, in the order they were added. */
  objects: Map<string, KubeObject>;
  /**
   * `namespace/name` → the object's place in that order, for list pages:
   * a continue token says where a page ended, as etcd's key does.
   */
  positions: Map<string, number>;
  nextPosition: number;
};

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type Change = {
  type: ChangeType;
  resourceVersion: number;
  collection: Collection;
  /** The new state; for DELETED the last state, carrying the deletion's resourceVersion. */
  object: KubeObject;
  /** The state before a MODIFIED or DELETED change. */
  previous?: KubeObject;
  /** The object's `namespace/name` and its place in the collection's order when it changed. */
  key: string;
  position: number;
};

/** An object of a list at some resourceVersion, with its place in the collection's order. */
export type Listed = { object: KubeObject; position: number };

/** Names one object to remove; `apiVersion` only matters for kinds served in several groups. */
export type ObjectReference = {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name: string;
};

export type StoreOptions = {
  /** How many changes are kept for watches that resume from a resourceVersion (default 10,000). */
  historySize?: number;
  /**
   * The version of the first object (default 1000). A demo cluster started
   * again after another gives a higher one, so that versions never go back,
   * as on a real cluster: clients of the former get 410, not a version from
   * their future.
   */
  firstVersion?: number;
};

export function collectionKey(
  group: string,
  version: string,
  plural: string,
): string {
  return `${group}/${version}/${plural}`;
}

function objectKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

const CREATED = '2026-01-15T09:00:00Z';
const FIRST_VERSION = 1000;

function uidFor(obj: KubeObject): string {
  const h = createHash('sha1')
    .update(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/** The object as the API server would hold it; resourceVersion is set when it is stored. */
function complete(obj: KubeObject, resource: Resource): KubeObject {
  return {
    ...obj,
    apiVersion: groupVersion(resource),
    kind: resource.kind,
    metadata: {
      creationTimestamp: CREATED,
      ...obj.metadata,
      // The uid depends on kind, namespace and name only, so that a file
      // reloaded, or a demo cluster restarted, keeps the objects' identity.
      uid:
        typeof obj.metadata.uid === 'string' ? obj.metadata.uid : uidFor(obj),
      resourceVersion: '',
    },
  };
}

function withVersion(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/**
 * Equality of JSON values. Not util.isDeepStrictEqual: that compares
 * prototypes, and objects parsed in another realm (a test sandbox, a
 * worker) would always differ.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length && a.every((v, i) => sameJson(v, other[i]))
    );
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter(k => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter(k => y[k] !== undefined).length)
    return false;
  return keys.every(k => sameJson(x[k], y[k]));
}

function sameExceptVersion(a: KubeObject, b: KubeObject): boolean {
  return sameJson(
    { ...a, metadata: { ...a.metadata, resourceVersion: '' } },
    { ...b, metadata: { ...b.metadata, resourceVersion: '' } },
  );
}

function resourceOf(obj: KubeObject): Resource {
  const resource = resourceFor(obj.kind, obj.apiVersion);
  // A kind nobody told us about is cluster-scoped when its objects have no namespace.
  if (!knownResource(obj.kind) && !obj.metadata.namespace)
    return { ...resource, namespaced: false };
  return resource;
}

function namespaceObject(name: string): KubeObject {
  return complete(
    {
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
    knownResource('Namespace')!,
  );
}

type Desired = { resource: Resource; object: KubeObject };

/**
 * The state the given objects describe, in order: each object completed
 * (a later one with the same name replaces the earlier one, as in the
 * engine), then a Namespace for each namespace used that no object declares.
 */
function desiredState(objects: KubeObject[]): Map<string, Desired> {
  const desired = new Map<string, Desired>();
  const namespaces = new Set<string>(['default', 'kube-system']);
  for (const obj of objects) {
    const resource = resourceOf(obj);
    if (obj.metadata.namespace) namespaces.add(obj.metadata.namespace);
    const object = complete(obj, resource);
    const key = `${collectionKey(
      resource.group,
      resource.version,
      resource.plural,
    )} ${objectKey(object)}`;
    // Delete first so that the replacement takes the later position.
    desired.delete(key);
    desired.set(key, { resource, object });
  }
  const nsResource = knownResource('Namespace')!;
  const nsCollection = collectionKey('', 'v1', 'namespaces');
  for (const name of [...namespaces].sort()) {
    const key = `${nsCollection} /${name}`;
    if (!desired.has(key))
      desired.set(key, { resource: nsResource, object: namespaceObject(name) });
  }
  return desired;
}

export class Store {
  /** `group/version/plural` → the collection. */
  readonly collections = new Map<string, Collection>();
  private version: number;
  /** Changes kept for watches from a version: `history[head…]`, oldest first. */
  private history: Change[] = [];
  private head = 0;
  /** The oldest version a watch may start from: changes after it are all kept. */
  private floor: number;
  private readonly historySize: number;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(objects: KubeObject[], options: StoreOptions = {}) {
    this.historySize = Math.max(0, options.historySize ?? 10_000);
    this.version = (options.firstVersion ?? FIRST_VERSION) - 1;
    for (const kind of alwaysServed) this.collection(knownResource(kind)!);
    for (const { resource, object } of desiredState(objects).values()) {
      const c = this.collection(resource);
      const key = objectKey(object);
      c.objects.set(key, withVersion(object, ++this.version));
      c.positions.set(key, c.nextPosition++);
    }
    this.floor = this.version;
  }

  /** The cluster's current resourceVersion, as lists carry it. */
  get resourceVersion(): string {
    return String(this.version);
  }

  get currentVersion(): number {
    return this.version;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestVersion(): number {
    return this.floor;
  }

  /**
   * The changes after `rv`, oldest first; `expired` when some of them are
   * no longer kept, `future` when `rv` is newer than the store.
   */
  changesSince(rv: number): Change[] | 'expired' | 'future' {
    if (rv > this.version) return 'future';
    if (rv < this.floor) return 'expired';
    // Versions grow by one per change, so the position is arithmetic.
    const first = this.head + (rv - this.floor);
    return this.history.slice(first);
  }

  /**
   * The selected objects of `c` as they were at `rv`, after `position` in
   * the collection's order (a list page's continue point): the current
   * objects, with the kept changes since `rv` undone. `expired` when those
   * changes are no longer all kept.
   */
  listAt(
    c: Collection,
    rv: number,
    after: number,
    selected: (o: KubeObject) => boolean,
  ): Listed[] | 'expired' {
    const out: Listed[] = [];
    const changes: Change[] | 'expired' | 'future' =
      rv === this.version ? [] : this.changesSince(rv);
    if (typeof changes === 'string') return 'expired';
    // Each object's state at rv is what its first later change replaced.
    const atRv = new Map<string, { object?: KubeObject; position: number }>();
    for (const ch of changes)
      if (ch.collection === c && !atRv.has(ch.key))
        atRv.set(ch.key, { object: ch.previous, position: ch.position });
    const earlier = [...atRv.values()]
      .filter(
        (e): e is Listed =>
          e.object !== undefined && e.position > after && selected(e.object),
      )
      .sort((a, b) => a.position - b.position);
    let i = 0;
    for (const [key, object] of c.objects) {
      if (atRv.has(key)) continue;
      const position = c.positions.get(key)!;
      if (position <= after || !selected(object)) continue;
      while (i < earlier.length && earlier[i].position < position)
        out.push(earlier[i++]);
      out.push({ object, position });
    }
    while (i < earlier.length) out.push(earlier[i++]);
    return out;
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Creates or updates objects (matched by kind, namespace and name), as
   * `kubectl apply` would; an object equal to the stored one is no change.
   * A namespace not seen before gets its Namespace first.
   */
  apply(objects: KubeObject[]): Change[] {
    const changes: Change[] = [];
    for (const obj of objects) {
      if (!obj?.metadata?.name || typeof obj.kind !== 'string')
        throw new Error(
          `apply: every object needs kind and metadata.name (got ${JSON.stringify(
            obj,
          )?.slice(0, 120)})`,
        );
      const ns = obj.metadata.namespace;
      const namespaces = this.collection(knownResource('Namespace')!);
      if (ns && !namespaces.objects.has(`/${ns}`))
        changes.push(
          this.put(knownResource('Namespace')!, namespaceObject(ns))!,
        );
      const resource = resourceOf(obj);
      const change = this.put(resource, complete(obj, resource));
      if (change) changes.push(change);
    }
    return changes;
  }

  /** Deletes objects; naming one that does not exist is an error, as in the API. */
  remove(refs: ObjectReference[]): Change[] {
    const changes: Change[] = [];
    for (const ref of refs) {
      const resource = resourceOf({
        kind: ref.kind,
        apiVersion: ref.apiVersion ?? '',
        metadata: { name: ref.name, namespace: ref.namespace },
      } as KubeObject);
      const c = this.collections.get(
        collectionKey(resource.group, resource.version, resource.plural),
      );
      const key = `${resource.namespaced ? ref.namespace ?? '' : ''}/${
        ref.name
      }`;
      if (!c?.objects.has(key))
        throw new Error(
          `remove: ${resource.plural} ${
            ref.namespace ? `${ref.namespace}/` : ''
          }${ref.name} does not exist`,
        );
      changes.push(this.delete(c, key));
    }
    return changes;
  }

  /**
   * Makes the store hold exactly what `objects` describe (as a fresh start
   * from them would), emitting only the differences.
   */
  replace(objects: KubeObject[]): Change[] {
    const desired = desiredState(objects);
    const changes: Change[] = [];
    for (const [ck, c] of this.collections) {
      for (const key of [...c.objects.keys()]) {
        if (!desired.has(`${ck} ${key}`)) changes.push(this.delete(c, key));
      }
    }
    for (const { resource, object } of desired.values()) {
      const change = this.put(resource, object);
      if (change) changes.push(change);
    }
    return changes;
  }

  private collection(resource: Resource): Collection {
    const k = collectionKey(resource.group, resource.version, resource.plural);
    let c = this.collections.get(k);
    if (!c) {
      c = {
        resource,
        objects: new Map(),
        positions: new Map(),
        nextPosition: 0,
      };
      this.collections.set(k, c);
    }
    return c;
  }

  private put(resource: Resource, object: KubeObject): Change | undefined {
    const c = this.collection(resource);
    const key = objectKey(object);
    const previous = c.objects.get(key);
    if (previous && sameExceptVersion(previous, object)) return undefined;
    const stored = withVersion(object, this.version + 1);
    c.objects.set(key, stored);
    if (!previous) c.positions.set(key, c.nextPosition++);
    return this.record({
      type: previous ? 'MODIFIED' : 'ADDED',
      resourceVersion: this.version + 1,
      collection: c,
      object: stored,
      ...(previous ? { previous } : {}),
      key,
      position: c.positions.get(key)!,
    });
  }

  private delete(c: Collection, key: string): Change {
    const previous = c.objects.get(key)!;
    const position = c.positions.get(key)!;
    c.objects.delete(key);
    c.positions.delete(key);
    return this.record({
      type: 'DELETED',
      resourceVersion: this.version + 1,
      collection: c,
      object: withVersion(previous, this.version + 1),
      previous,
      key,
      position,
    });
  }

  private record(change: Change): Change {
    this.version = change.resourceVersion;
    this.history.push(change);
    while (this.history.length - this.head > this.historySize) {
      this.floor = this.history[this.head].resourceVersion;
      this.head++;
    }
    // Drop what fell out of the window now and then, not on every change.
    if (this.head > 1024 && this.head * 2 > this.history.length) {
      this.history = this.history.slice(this.head);
      this.head = 0;
    }
    for (const listener of this.listeners) listener(change);
    return change;
  }
}

/** A store of the given objects (kept for callers of the former function). */
export function buildStore(
  objects: KubeObject[],
  options?: StoreOptions,
): Store {
  return new Store(objects, options);
}
