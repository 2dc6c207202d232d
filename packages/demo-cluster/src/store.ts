/*
 * The objects the demo cluster serves, grouped by API resource, with the
 * fields a real API server always sets (apiVersion, kind, resourceVersion,
 * uid, creationTimestamp) and a Namespace for every namespace used.
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

export type Collection = { resource: Resource; objects: KubeObject[] };

export type Store = {
  /** `group/version/plural` → the collection. */
  collections: Map<string, Collection>;
  resourceVersion: string;
};

export function collectionKey(
  group: string,
  version: string,
  plural: string,
): string {
  return `${group}/${version}/${plural}`;
}

const CREATED = '2026-01-15T09:00:00Z';

function complete(
  obj: KubeObject,
  resource: Resource,
  index: number,
): KubeObject {
  const uid = createHash('sha1')
    .update(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`)
    .digest('hex');
  return {
    ...obj,
    apiVersion: groupVersion(resource),
    kind: resource.kind,
    metadata: {
      creationTimestamp: CREATED,
      ...obj.metadata,
      uid:
        typeof obj.metadata.uid === 'string'
          ? obj.metadata.uid
          : `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(
              12,
              16,
            )}-${uid.slice(16, 20)}-${uid.slice(20, 32)}`,
      resourceVersion: String(1000 + index),
    },
  };
}

export function buildStore(objects: KubeObject[]): Store {
  const collections = new Map<string, Collection>();
  const add = (resource: Resource, obj?: KubeObject) => {
    const k = collectionKey(resource.group, resource.version, resource.plural);
    let c = collections.get(k);
    if (!c) {
      c = { resource, objects: [] };
      collections.set(k, c);
    }
    if (obj) c.objects.push(obj);
  };
  for (const kind of alwaysServed) add(knownResource(kind)!);
  const namespaces = new Set<string>(['default', 'kube-system']);
  objects.forEach((obj, i) => {
    let resource = resourceFor(obj.kind, obj.apiVersion);
    // A kind nobody told us about is cluster-scoped when its objects have no namespace.
    if (!knownResource(obj.kind) && !obj.metadata.namespace)
      resource = { ...resource, namespaced: false };
    if (obj.metadata.namespace) namespaces.add(obj.metadata.namespace);
    const stored = complete(obj, resource, i);
    // A later object with the same name replaces the earlier one, as in the engine.
    const k = collectionKey(resource.group, resource.version, resource.plural);
    const existing = collections
      .get(k)
      ?.objects.findIndex(
        o =>
          o.metadata.name === obj.metadata.name &&
          o.metadata.namespace === obj.metadata.namespace,
      );
    if (existing !== undefined && existing >= 0)
      collections.get(k)!.objects[existing] = stored;
    else add(resource, stored);
  });
  const nsResource = knownResource('Namespace')!;
  const nsCollection = collections.get(collectionKey('', 'v1', 'namespaces'))!;
  for (const name of [...namespaces].sort()) {
    if (!nsCollection.objects.some(o => o.metadata.name === name)) {
      nsCollection.objects.push(
        complete(
          {
            kind: 'Namespace',
            metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
            spec: { finalizers: ['kubernetes'] },
            status: { phase: 'Active' },
          },
          nsResource,
          nsCollection.objects.length,
        ),
      );
    }
  }
  return {
    collections,
    resourceVersion: String(1000 + objects.length + namespaces.size),
  };
}
