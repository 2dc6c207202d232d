/*
 * What a watched cluster keeps of an object: only what the engine reads,
 * as client-go's informer transforms do, so that a model of a large
 * cluster is a fraction of its objects' JSON. Dropped everywhere:
 * `managedFields` and the last-applied-configuration annotation (each a
 * copy of the object). Of a Pod: its labels, addresses, readiness and the
 * containers' names, images, ports and arguments (controller flags), not
 * its volumes, probes, resources or container statuses. Of a Secret:
 * its name (the reads ask for metadata only; data never arrives).
 */
import { KubeObject } from '@internal/plugin-traffic-path-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Only the given keys of a record, those present. */
function pick(value: unknown, keys: readonly string[]): Json | undefined {
  if (!isRecord(value)) return undefined;
  const out: Json = {};
  for (let i = 0; i < keys.length; i++) {
    const v = value[keys[i]];
    if (v !== undefined) out[keys[i]] = v;
  }
  return out;
}

/** Only the given keys of each record of a list (what is not a list is kept as it is). */
function pickEach(list: unknown, keys: readonly string[]): unknown {
  if (!Array.isArray(list)) return list;
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = pick(list[i], keys);
  return out;
}

/*
 * Written without rest and spread: the model trims every pod of a large
 * cluster as its pages arrive, and these run per object.
 */
function trimMetadata(
  metadata: KubeObject['metadata'],
): KubeObject['metadata'] {
  const annotations = metadata.annotations;
  const applied = !!annotations && LAST_APPLIED in annotations;
  if (!applied && !('managedFields' in metadata)) return metadata;
  const out: Json = {};
  for (const k in metadata) {
    if (k === 'managedFields' || (k === 'annotations' && applied)) continue;
    out[k] = (metadata as Json)[k];
  }
  if (applied) {
    const kept: Json = {};
    let any = false;
    for (const k in annotations) {
      if (k === LAST_APPLIED) continue;
      kept[k] = annotations[k];
      any = true;
    }
    if (any) out.annotations = kept;
  }
  return out as KubeObject['metadata'];
}

const CONTAINER_KEYS = ['name', 'image', 'args', 'command', 'ports'] as const;
const CONDITION_KEYS = ['type', 'status'] as const;
const SPEC_KEYS = ['nodeName', 'hostNetwork'] as const;
const STATUS_KEYS = ['phase', 'podIP', 'podIPs', 'hostIP', 'hostIPs'] as const;

function trimPod(pod: KubeObject): KubeObject {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const keptSpec = pick(spec, SPEC_KEYS)!;
  if (spec.containers !== undefined)
    keptSpec.containers = pickEach(spec.containers, CONTAINER_KEYS);
  const out: KubeObject = {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: trimMetadata(pod.metadata),
    spec: keptSpec,
  };
  if (isRecord(pod.status)) {
    const status = pick(pod.status, STATUS_KEYS)!;
    if (pod.status.conditions !== undefined)
      status.conditions = pickEach(pod.status.conditions, CONDITION_KEYS);
    out.status = status;
  }
  return out;
}

/** The object as a watched cluster keeps it. */
export function trimForModel(object: KubeObject): KubeObject {
  if (!object || typeof object !== 'object' || !isRecord(object.metadata))
    return object; // the loader reports what is not an object
  if (object.kind === 'Pod') return trimPod(object);
  if (object.kind === 'Secret')
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: object.metadata.name,
        namespace: object.metadata.namespace,
      },
    };
  const metadata = trimMetadata(object.metadata);
  return metadata === object.metadata ? object : { ...object, metadata };
}
