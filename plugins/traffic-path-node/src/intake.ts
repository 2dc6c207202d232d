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
function pick(value: unknown, keys: string[]): Json | undefined {
  if (!isRecord(value)) return undefined;
  const out: Json = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out;
}

function trimMetadata(
  metadata: KubeObject['metadata'],
): KubeObject['metadata'] {
  const {
    managedFields: _managed,
    annotations,
    ...rest
  } = metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (!annotations || !(LAST_APPLIED in annotations))
    return annotations ? { ...rest, annotations } : rest;
  const { [LAST_APPLIED]: _applied, ...kept } = annotations;
  return Object.keys(kept).length ? { ...rest, annotations: kept } : rest;
}

function trimPod(pod: KubeObject): KubeObject {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers)
    ? spec.containers.map(c =>
        pick(c, ['name', 'image', 'args', 'command', 'ports']),
      )
    : spec.containers;
  const status = isRecord(pod.status) ? pod.status : undefined;
  const conditions = Array.isArray(status?.conditions)
    ? status!.conditions.map(c => pick(c, ['type', 'status']))
    : status?.conditions;
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: trimMetadata(pod.metadata),
    spec: {
      ...pick(spec, ['nodeName', 'hostNetwork']),
      ...(containers !== undefined ? { containers } : {}),
    },
    ...(status
      ? {
          status: {
            ...pick(status, ['phase', 'podIP', 'podIPs', 'hostIP', 'hostIPs']),
            ...(conditions !== undefined ? { conditions } : {}),
          },
        }
      : {}),
  };
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
  return { ...object, metadata: trimMetadata(object.metadata) };
}
