/*
 * What a watched cluster keeps of an object: only what the engine reads,
 * as client-go's informer transforms do, so that a model of a large
 * cluster is a fraction of its objects' JSON. Dropped everywhere:
 * `managedFields` and the last-applied-configuration annotation (each a
 * copy of the object), and the old leader-election lock annotation. Of a Pod: its labels, addresses, readiness and the
 * containers' names, images, ports and arguments (controller flags), not
 * its volumes, probes, resources or container statuses. Of a Node: its
 * name, addresses and Ready condition's status (what `resolve/nodes.ts`
 * reads), not the heartbeats, images, capacity, volumes or node info the
 * kubelet rewrites every few seconds. Of a Secret: its name (the reads ask
 * for metadata only; data never arrives). Of the cluster-autoscaler's
 * status ConfigMap: its name. The conditions' times and
 * messages go everywhere: only type and status are read.
 *
 * An object whose kept part did not change (`sameKept`) is no change of the
 * model: the informer keeps the object it had (see `informer.ts`).
 */
import { KubeObject } from '@internal/plugin-traffic-path-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/*
 * The lock of the old leader election (ConfigMaps and Endpoints, as the
 * cluster-autoscaler and older controllers still hold it), its renewTime
 * written every few seconds: never read, and a change each time.
 */
const LEADER = 'control-plane.alpha.kubernetes.io/leader';
const dropped = (k: string) => k === LAST_APPLIED || k === LEADER;

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
  const applied =
    !!annotations && (LAST_APPLIED in annotations || LEADER in annotations);
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
      if (dropped(k)) continue;
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

const NAME_KEYS = ['name', 'namespace', 'resourceVersion'] as const;

/*
 * The engine reads of a Node its name, `status.addresses` (InternalIP, else
 * ExternalIP) and the Ready condition's status (`resolve/nodes.ts`): the
 * addresses are kept as they came (the loader checks they are an array),
 * the conditions are the Ready one's type and status (or, not a list, as
 * they came). The namespace is kept only so that a Node written with one
 * (invalid) is read as before.
 */
function trimNode(node: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: node.apiVersion,
    kind: node.kind,
    metadata: pick(node.metadata, NAME_KEYS) as KubeObject['metadata'],
  };
  if (isRecord(node.status)) {
    const status: Json = {};
    if (node.status.addresses !== undefined)
      status.addresses = node.status.addresses;
    const conditions = node.status.conditions;
    if (Array.isArray(conditions)) {
      // Only Ready is read: the pressure conditions and node-problem-detector's flip unread.
      const ready: Json[] = [];
      for (let i = 0; i < conditions.length; i++) {
        const c = conditions[i];
        if (isRecord(c) && c.type === 'Ready')
          ready.push(pick(c, CONDITION_KEYS)!);
      }
      status.conditions = ready;
    } else if (conditions !== undefined) status.conditions = conditions;
    out.status = status;
  }
  return out;
}

/*
 * The cluster-autoscaler's status, which it writes every scan (10 s by
 * default) with the time in its data and in an annotation: the engine reads
 * of kube-system's ConfigMaps only kube-proxy's, Cilium's and an ingress
 * controller's, so of this one its name is enough.
 */
const isAutoscalerStatus = (o: KubeObject) =>
  o.kind === 'ConfigMap' &&
  o.metadata.name === 'cluster-autoscaler-status' &&
  o.metadata.namespace === 'kube-system';

/** The object as a watched cluster keeps it. */
export function trimForModel(object: KubeObject): KubeObject {
  if (!object || typeof object !== 'object' || !isRecord(object.metadata))
    return object; // the loader reports what is not an object
  if (object.kind === 'Pod') return trimPod(object);
  if (object.kind === 'Node') return trimNode(object);
  if (isAutoscalerStatus(object))
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: pick(object.metadata, NAME_KEYS) as KubeObject['metadata'],
    };
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

/** Equal JSON values (what a parsed object holds: no cycles, dates or functions). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  return sameRecord(a as Json, b as Json, undefined);
}

/** Equal records, but for the keys `skip` names. */
function sameRecord(
  a: Json,
  b: Json,
  skip: ((key: string) => boolean) | undefined,
): boolean {
  let count = 0;
  for (const k in a) {
    if (skip?.(k) || a[k] === undefined) continue;
    if (!Object.hasOwn(b, k) || !sameJson(a[k], b[k])) return false;
    count += 1;
  }
  for (const k in b) if (!skip?.(k) && b[k] !== undefined) count -= 1;
  return count === 0;
}

const VERSION_KEYS = (k: string) =>
  k === 'resourceVersion' || k === 'managedFields';

/**
 * Whether two kept objects (`trimForModel`) say the same: equal but for
 * their `resourceVersion` (and `managedFields`, where kept). A Node whose
 * kubelet only posted a heartbeat is the same Node.
 */
export function sameKept(a: KubeObject, b: KubeObject): boolean {
  if (a === b) return true;
  if (!isRecord(a) || !isRecord(b)) return false;
  if (!sameRecord(a, b, k => k === 'metadata')) return false;
  if (!isRecord(a.metadata) || !isRecord(b.metadata))
    return sameJson(a.metadata, b.metadata);
  return sameRecord(a.metadata, b.metadata, VERSION_KEYS);
}
