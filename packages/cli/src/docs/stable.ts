/*
 * The stable rendering of the docs pages: what a rollout changes is written
 * as what stays. A rollout with the same topology gives new pod names (a new
 * ReplicaSet hash and suffix), new pod IPs, often other nodes; a node pool
 * upgrade gives new node names and addresses. The pages name these by what
 * does not change: the workload the pods belong to, and "a node".
 *
 *   pod `app1-7d9c5b8f6-k2x8p`        → `<pod of Deployment app/app1>`
 *   its IP `10.17.10.91`              → `<pod IP of Deployment app/app1>`
 *   a pod without a controller `web`  → kept; its IP → `<IP of pod default/web>`
 *   a StatefulSet pod `db-0`          → kept (a stable identity); its IP as above
 *   node `cn-shanghai.10.17.10.11`    → `<node>`; its addresses → `<node IP>`
 *
 * Kept as they are: load balancer addresses and hostnames, ClusterIPs and
 * external IPs (clients and DNS use them, and they change only when someone
 * changes the Service), ports, counts of pods and nodes.
 *
 * The replacement runs over the finished Markdown, word by word: a name or
 * an address is replaced only as a whole word, so `10.17.10.9` never
 * touches `10.17.10.91`.
 */
import { KubeObject } from '@internal/plugin-traffic-path-common';

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

type OwnerRef = { kind?: unknown; name?: unknown; controller?: unknown };

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function ownerOf(o: KubeObject): { kind: string; name: string } | undefined {
  const refs = list(o.metadata.ownerReferences) as OwnerRef[];
  const ref = refs.find(r => record(r).controller === true) ?? refs[0];
  const kind = text(record(ref).kind);
  const name = text(record(ref).name);
  return kind && name ? { kind, name } : undefined;
}

/** `Deployment app/app1`, or undefined for a pod no controller made. */
export function workloadOfPod(
  pod: KubeObject,
  byKey: Map<string, KubeObject>,
): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const hash = labels['pod-template-hash'];
  const name = pod.metadata.name;
  const named = (kind: string, n: string) => `${kind} ${ns}/${n}`;
  const owner = ownerOf(pod);
  if (owner?.kind === 'ReplicaSet') {
    const rs = byKey.get(`ReplicaSet/${ns}/${owner.name}`);
    const rsOwner = rs && ownerOf(rs);
    if (rsOwner) return named(rsOwner.kind, rsOwner.name);
    // What the Deployment controller does: the ReplicaSet is `<deployment>-<hash>`.
    if (hash && owner.name.endsWith(`-${hash}`))
      return named('Deployment', owner.name.slice(0, -hash.length - 1));
    const rsHash = owner.name.match(/^(.+)-[a-z0-9]{6,10}$/);
    if (!hash && rsHash && name.startsWith(`${owner.name}-`))
      return named('Deployment', rsHash[1]);
    return named(owner.kind, owner.name);
  }
  if (owner?.kind === 'Job') {
    const job = byKey.get(`Job/${ns}/${owner.name}`);
    const jobOwner = job && ownerOf(job);
    return jobOwner
      ? named(jobOwner.kind, jobOwner.name)
      : named(owner.kind, owner.name);
  }
  if (owner) return named(owner.kind, owner.name);
  // Dumps without ownerReferences: the name the controllers give.
  // `<deployment>-<pod-template-hash>-<5 random>`; the hash may be missing from the labels.
  const deployment = name.match(
    hash
      ? new RegExp(`^(.+)-${hash}-[a-z0-9]{5}$`)
      : /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/,
  );
  if (deployment) return named('Deployment', deployment[1]);
  const ordinal = name.match(/^(.+)-\d+$/);
  if (labels['statefulset.kubernetes.io/pod-name'] === name && ordinal)
    return named('StatefulSet', ordinal[1]);
  if (labels['controller-revision-hash'] && labels['pod-template-generation']) {
    const m = name.match(/^(.+)-[a-z0-9]{5}$/);
    if (m) return named('DaemonSet', m[1]);
  }
  return undefined;
}

export type TextContext = 'code' | 'prose' | 'mermaid';

export type Stable = {
  /** The volatile names and addresses, and what the pages say instead. */
  words: Map<string, string>;
  /**
   * `markdown` with every volatile word replaced, and a run of the same
   * placeholder (`<pod IP of …>, <pod IP of …>`: a headless Service's
   * records) written once with its count. Where the text is:
   * - `code` (a code span, the default): `<pod IP of …>` as it is;
   * - `prose`: in backticks, since `<node IP>` would be read as an HTML tag;
   * - `mermaid` (a label, where `<` and `>` are HTML too): `(pod IP of …)`.
   */
  text(markdown: string, where?: TextContext): string;
};

/** The addresses clients and DNS use: kept even when a node or pod shares them. */
function keptAddresses(objects: KubeObject[]): Set<string> {
  const kept = new Set<string>();
  const add = (v: unknown) => {
    const s = text(v);
    if (s) kept.add(s);
  };
  for (const o of objects) {
    const spec = record(o.spec);
    const status = record(o.status);
    if (o.kind === 'Service') {
      add(spec.clusterIP);
      list(spec.clusterIPs).forEach(add);
      list(spec.externalIPs).forEach(add);
      add(spec.loadBalancerIP);
    }
    for (const i of list(record(status.loadBalancer).ingress)) {
      add(record(i).ip);
      add(record(i).hostname);
    }
    for (const a of list(status.addresses))
      if (o.kind !== 'Node') add(record(a).value);
  }
  return kept;
}

export function stableWords(objects: KubeObject[]): Stable {
  const byKey = new Map<string, KubeObject>();
  for (const o of objects)
    byKey.set(
      `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`,
      o,
    );
  const kept = keptAddresses(objects);
  const words = new Map<string, string>();
  const put = (word: unknown, instead: string) => {
    const w = text(word);
    if (w && !kept.has(w) && !words.has(w)) words.set(w, instead);
  };
  const pods = new Map<string, { ip: string; hostNetwork: boolean }>();
  // Pods first: a hostNetwork pod's address is its node's, named as the node below.
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    const ns = o.metadata.namespace ?? 'default';
    const workload = workloadOfPod(o, byKey);
    const spec = record(o.spec);
    const status = record(o.status);
    const isStatefulSet = workload?.startsWith('StatefulSet ');
    if (workload && !isStatefulSet)
      put(o.metadata.name, `<pod of ${workload}>`);
    const ip =
      workload && !isStatefulSet
        ? `<pod IP of ${workload}>`
        : `<IP of pod ${ns}/${o.metadata.name}>`;
    const hostNetwork = spec.hostNetwork === true;
    pods.set(`${ns}/${o.metadata.name}`, { ip, hostNetwork });
    if (hostNetwork) continue;
    put(status.podIP, ip);
    for (const p of list(status.podIPs)) put(record(p).ip, ip);
  }
  // Endpoints whose pods the input does not hold: named by their Service.
  const endpoint = (
    ns: string,
    service: string | undefined,
    address: unknown,
    targetRef: unknown,
  ) => {
    const ref = record(targetRef);
    const podName = text(ref.name);
    if (ref.kind !== 'Pod' || !podName) return;
    const podNs = text(ref.namespace) ?? ns;
    const pod = pods.get(`${podNs}/${podName}`);
    if (pod) {
      if (!pod.hostNetwork) put(address, pod.ip);
      return;
    }
    const behind = service ? `Service ${ns}/${service}` : 'the Service';
    put(podName, `<pod behind ${behind}>`);
    put(address, `<pod IP behind ${behind}>`);
  };
  for (const o of objects) {
    const ns = o.metadata.namespace ?? 'default';
    if (o.kind === 'EndpointSlice') {
      const service = o.metadata.labels?.['kubernetes.io/service-name'];
      for (const e of list(o.endpoints)) {
        const ep = record(e);
        put(ep.nodeName, '<node>');
        for (const a of list(ep.addresses))
          endpoint(ns, service, a, ep.targetRef);
      }
    } else if (o.kind === 'Endpoints') {
      for (const s of list(o.subsets))
        for (const a of [
          ...list(record(s).addresses),
          ...list(record(s).notReadyAddresses),
        ]) {
          const ad = record(a);
          put(ad.nodeName, '<node>');
          endpoint(ns, o.metadata.name, ad.ip, ad.targetRef);
        }
    } else if (o.kind === 'Node') {
      put(o.metadata.name, '<node>');
      for (const a of list(record(o.status).addresses)) {
        const ad = record(a);
        put(ad.address, ad.type === 'Hostname' ? '<node>' : '<node IP>');
      }
    } else if (o.kind === 'Pod') {
      put(record(o.spec).nodeName, '<node>');
      put(record(o.status).hostIP, '<node IP>');
      for (const h of list(record(o.status).hostIPs))
        put(record(h).ip, '<node IP>');
    }
  }
  const v6 = [...words.keys()].some(w => w.includes(':'));
  return {
    words,
    text(markdown: string, where: TextContext = 'code'): string {
      const replaced = new Set<string>();
      const replace = (w: string) => {
        const instead = words.get(w);
        if (instead === undefined) return w;
        replaced.add(instead);
        return instead;
      };
      // Whole words only: names and IPv4 addresses, then IPv6 addresses.
      let out = markdown.replace(
        /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/g,
        replace,
      );
      if (v6)
        out = out.replace(/[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f]/g, replace);
      for (const p of replaced) {
        const e = escapeRegExp(p);
        const run = new RegExp(`${e}(?:, ${e})+`, 'g');
        out = out.replace(run, m => `${p} ×${m.split(', ').length}`);
        if (where === 'mermaid') out = out.split(p).join(`(${p.slice(1, -1)})`);
        if (where === 'prose') out = out.split(p).join(`\`${p}\``);
      }
      return out;
    },
  };
}
