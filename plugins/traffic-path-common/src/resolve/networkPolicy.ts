/*
 * NetworkPolicies where traffic enters the pods, with the semantics
 * Kubernetes defines: a pod is isolated for ingress as soon as a policy that
 * has Ingress in its policyTypes selects it; what is allowed is the union of
 * the rules of all those policies; the peers of a rule are ORed, and
 * namespaceSelector + podSelector in one peer are ANDed; ports by number, by
 * name (resolved on the destination pod's containers) and with endPort.
 * The CNI plugin enforces policies: the hop is a prediction from them.
 */
import { isListed } from '../index/clusterIndex';
import {
  ContainerHop,
  Endpoint,
  Hop,
  KubeObject,
  NetworkPolicyHop,
  ObjectRef,
  PodHop,
  PodPolicyEvaluation,
  PolicyIpBlock,
  SourceAddress,
} from '../model';
import { cidrContains, parseCidr, parseIp } from '../net/cidr';
import {
  isRecord,
  namespaceOf,
  num,
  records,
  refOf,
  str,
  stringMap,
} from '../util/fields';
import { LabelSelector, readLabelSelector } from '../util/labelSelector';
import { ResolveContext } from './context';

/** Who sends the traffic that arrives at the pods. */
export type TrafficSource =
  /** A proxy's pods (ingress controller, Gateway): they open the connections. */
  | { kind: 'pods'; what: string; pods: Endpoint[] }
  /** A load balancer or node port straight to the pods: the address they see. */
  | { kind: 'address'; seen: SourceAddress };

/** Three-valued: null is "cannot be told from the input". */
type Tri = boolean | null;

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

type Peer = {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
  ipBlockField: string;
  invalid?: { field: string; message: string };
};

type PolicyPort = {
  protocol: string;
  port?: number | string;
  endPort?: number;
};

type IngressRule = { peers: Peer[] | 'all'; ports: PolicyPort[] | 'all' };

export type ParsedPolicy = {
  object: KubeObject;
  name: string;
  podSelector: LabelSelector;
  /** False for a policy whose policyTypes leave Ingress out. */
  isolatesIngress: boolean;
  rules: IngressRule[];
  /** Fields that are wrong, for the input errors. */
  problems: { field: string; message: string }[];
};

const METADATA_NAME = 'kubernetes.io/metadata.name';

/** policyTypes as the API defaults them: Ingress always, unless listed without it. */
function isolatesIngress(policy: KubeObject): boolean {
  const types = (policy.spec as { policyTypes?: unknown } | undefined)
    ?.policyTypes;
  if (!Array.isArray(types)) return true;
  return types.includes('Ingress');
}

function readPeer(value: unknown, field: string): Peer {
  const ipBlockField = `${field}.ipBlock.cidr`;
  if (!isRecord(value))
    return { ipBlockField, invalid: { field, message: 'is not an object' } };
  const peer: Peer = { ipBlockField };
  if (value.podSelector !== undefined)
    peer.podSelector = readLabelSelector(
      value.podSelector,
      `${field}.podSelector`,
    );
  if (value.namespaceSelector !== undefined)
    peer.namespaceSelector = readLabelSelector(
      value.namespaceSelector,
      `${field}.namespaceSelector`,
    );
  const cidr = str(value, 'ipBlock.cidr');
  const except = (value.ipBlock as { except?: unknown } | undefined)?.except;
  if (cidr !== undefined && except !== undefined && !Array.isArray(except))
    // The API server refuses such a policy; a manifest may still hold one.
    return {
      ipBlockField,
      invalid: { field: `${field}.ipBlock.except`, message: 'is not a list' },
    };
  if (cidr !== undefined)
    peer.ipBlock = {
      cidr,
      except: ((except as unknown[] | undefined) ?? []).filter(
        (e): e is string => typeof e === 'string',
      ),
    };
  if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock)
    peer.invalid = {
      field,
      message:
        'names no podSelector, namespaceSelector or ipBlock: it admits nothing',
    };
  return peer;
}

function readPorts(value: unknown): PolicyPort[] | 'all' {
  if (!Array.isArray(value) || value.length === 0) return 'all';
  return value.filter(isRecord).map(p => ({
    protocol: str(p, 'protocol') ?? 'TCP',
    port:
      typeof p.port === 'number' || typeof p.port === 'string'
        ? p.port
        : undefined,
    endPort: num(p, 'endPort'),
  }));
}

export function parsePolicy(policy: KubeObject): ParsedPolicy {
  const ingress = (policy.spec as { ingress?: unknown } | undefined)?.ingress;
  // Array.from visits holes too (a hole is read as an empty rule).
  const rules: IngressRule[] = Array.from(
    Array.isArray(ingress) ? ingress : [],
    (rule: unknown, i) => {
      const from = isRecord(rule) ? rule.from : undefined;
      return {
        // A rule without `from` admits every source; `ingress: [{}]` allows all.
        peers:
          Array.isArray(from) && from.length > 0
            ? Array.from(from, (p: unknown, j) =>
                readPeer(p, `spec.ingress[${i}].from[${j}]`),
              )
            : 'all',
        ports: readPorts(isRecord(rule) ? rule.ports : undefined),
      };
    },
  );
  const podSelector = readLabelSelector(
    (policy.spec as { podSelector?: unknown } | undefined)?.podSelector,
    'spec.podSelector',
  );
  const problems = [...podSelector.problems];
  for (const rule of rules)
    if (rule.peers !== 'all')
      for (const peer of rule.peers) {
        if (peer.invalid) problems.push(peer.invalid);
        problems.push(
          ...(peer.podSelector?.problems ?? []),
          ...(peer.namespaceSelector?.problems ?? []),
        );
        if (peer.ipBlock && !parseCidr(peer.ipBlock.cidr))
          problems.push({
            field: peer.ipBlockField,
            message: `holds "${peer.ipBlock.cidr}", which is not a CIDR: the API server refuses the policy`,
          });
      }
  return {
    object: policy,
    name: `${namespaceOf(policy)}/${policy.metadata.name}`,
    podSelector,
    isolatesIngress: isolatesIngress(policy),
    rules,
    problems,
  };
}

/** The policies of a namespace, read once per report. */
function policiesIn(ctx: ResolveContext, namespace: string): ParsedPolicy[] {
  let list = ctx.policies.get(namespace);
  if (!list) {
    list = [...ctx.index.networkPolicies.valuesIn(namespace)].map(parsePolicy);
    ctx.policies.set(namespace, list);
  }
  return list;
}

/** Whether the input says which policies a namespace has. */
function policiesListed(ctx: ResolveContext, namespace: string): boolean {
  return (
    isListed(ctx.index, 'NetworkPolicy') ||
    ctx.index.listed.has(`NetworkPolicy@${namespace}`) ||
    ctx.index.networkPolicies.hasNamespace(namespace)
  );
}

/** A namespace's labels, or undefined when Namespaces were not listed. */
function namespaceLabels(
  ctx: ResolveContext,
  name: string,
): Record<string, string> | undefined {
  const ns = ctx.index.namespaces.get(name);
  if (ns) return { ...stringMap(ns, 'metadata.labels'), [METADATA_NAME]: name };
  return isListed(ctx.index, 'Namespace')
    ? { [METADATA_NAME]: name }
    : undefined;
}

function namespaceMatches(
  ctx: ResolveContext,
  selector: LabelSelector,
  namespace: string | undefined,
): Tri {
  if (selector.empty) return true;
  if (namespace === undefined) return null;
  const labels = namespaceLabels(ctx, namespace);
  if (labels) return selector.matches(labels);
  // The API sets this label to the name on every namespace: that much is known.
  if (selector.keys.every(k => k === METADATA_NAME))
    return selector.matches({ [METADATA_NAME]: namespace });
  return null;
}

function inBlock(block: { cidr: string; except: string[] }, ip: string): Tri {
  const address = parseIp(ip);
  const range = parseCidr(block.cidr);
  if (!address || !range) return null;
  if (!cidrContains(range, address)) return false;
  return !block.except.some(e => {
    const ex = parseCidr(e);
    return ex ? cidrContains(ex, address) : false;
  });
}

type SourcePod = {
  namespace?: string;
  labels?: Record<string, string>;
  address?: string;
};

function peerAdmitsPod(
  ctx: ResolveContext,
  peer: Peer,
  policyNamespace: string,
  source: SourcePod,
): Tri {
  if (peer.invalid) return false;
  if (peer.ipBlock)
    return source.address ? inBlock(peer.ipBlock, source.address) : null;
  // Without a namespaceSelector, a peer means the policy's own namespace.
  let namespaceOk: Tri = null;
  if (peer.namespaceSelector)
    namespaceOk = namespaceMatches(
      ctx,
      peer.namespaceSelector,
      source.namespace,
    );
  else if (source.namespace !== undefined)
    namespaceOk = source.namespace === policyNamespace;
  let podOk: Tri = true;
  if (peer.podSelector && !peer.podSelector.empty)
    podOk = source.labels ? peer.podSelector.matches(source.labels) : null;
  return and(namespaceOk, podOk);
}

/** The port a policy port entry stands for on this pod: names resolve on its containers. */
function portMatches(
  entry: PolicyPort,
  pod: KubeObject | undefined,
  port: number | undefined,
  protocol: string,
): Tri {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (port === undefined) return null;
  if (typeof entry.port === 'number')
    return entry.endPort !== undefined
      ? port >= entry.port && port <= entry.endPort
      : port === entry.port;
  if (!pod) return null;
  for (const c of records(pod, 'spec.containers'))
    for (const p of records(c, 'ports'))
      if (
        str(p, 'name') === entry.port &&
        (str(p, 'protocol') ?? 'TCP') === protocol
      )
        return num(p, 'containerPort') === port;
  return false;
}

function rulePorts(
  rule: IngressRule,
  pod: KubeObject | undefined,
  port: number | undefined,
  protocol: string,
): Tri {
  if (rule.ports === 'all') return true;
  return rule.ports.reduce<Tri>(
    (acc, entry) => or(acc, portMatches(entry, pod, port, protocol)),
    false,
  );
}

type Destination = {
  name: string;
  namespace: string;
  pod?: KubeObject;
  labels?: Record<string, string>;
  port?: number;
};

function describePeer(peer: Peer, policyNamespace: string): string {
  if (peer.invalid) return 'nothing (invalid peer)';
  if (peer.ipBlock)
    return `addresses in ${peer.ipBlock.cidr}${
      peer.ipBlock.except.length
        ? ` except ${peer.ipBlock.except.join(', ')}`
        : ''
    }`;
  const pods =
    peer.podSelector && !peer.podSelector.empty
      ? `pods ${peer.podSelector.text}`
      : 'all pods';
  let where = `in namespace ${policyNamespace}`;
  if (peer.namespaceSelector)
    where = peer.namespaceSelector.empty
      ? 'in every namespace'
      : `in namespaces ${peer.namespaceSelector.text}`;
  return `${pods} ${where}`;
}

function describePorts(ports: PolicyPort[] | 'all'): string {
  if (ports === 'all') return 'any port';
  return ports
    .map(
      p =>
        `${p.protocol} ${p.port ?? 'any port'}${
          p.endPort !== undefined ? `-${p.endPort}` : ''
        }`,
    )
    .join(', ');
}

/** What the isolating policies allow, in words, for findings. */
export function describeAllowed(policies: ParsedPolicy[]): string {
  const parts = policies.flatMap(p => {
    const ns = namespaceOf(p.object);
    if (p.rules.length === 0) return [`${p.name}: nothing`];
    return p.rules.map(
      r =>
        `${p.name}: ${
          r.peers === 'all'
            ? 'every source'
            : r.peers.map(peer => describePeer(peer, ns)).join(' or ')
        } on ${describePorts(r.ports)}`,
    );
  });
  return parts.join('; ');
}

export type PodOutcome = {
  evaluation: PodPolicyEvaluation;
  /** For a proxy: the proxy pods admitted, refused, and unknown. */
  admitted: number;
  refused: number;
  unknown: number;
};

/**
 * Every field present (undefined where absent, which JSON drops), in the order
 * the hop shows them: one object shape, whose map a full collection does not free.
 */
function podEvaluation(
  pod: string,
  namespace: string,
  isolatedBy: string[],
  allowed: Tri,
  reason: string,
  port: number | undefined,
  clientAllow?: 'any' | PolicyIpBlock[],
): PodPolicyEvaluation {
  return { pod, namespace, isolatedBy, allowed, reason, port, clientAllow };
}

function evaluatePod(
  ctx: ResolveContext,
  dest: Destination,
  isolating: ParsedPolicy[],
  source: TrafficSource,
  senders: SourcePod[],
  peerCache: Map<IngressRule, Tri[]>,
  protocol: string,
): PodOutcome {
  const evaluation = (
    allowed: Tri,
    reason: string,
    clientAllow?: 'any' | PolicyIpBlock[],
  ) =>
    podEvaluation(
      dest.name,
      dest.namespace,
      isolating.map(p => p.name),
      allowed,
      reason,
      dest.port,
      clientAllow,
    );
  if (isolating.length === 0)
    return {
      evaluation: evaluation(
        true,
        'no NetworkPolicy isolates the pod for ingress',
      ),
      admitted: 1,
      refused: 0,
      unknown: 0,
    };
  const rules = isolating.flatMap(p =>
    p.rules.map(rule => ({ policy: p, rule })),
  );
  // Whether a rule's peers admit a sender does not depend on the pod: once per hop.
  const peersAdmit = (
    policy: ParsedPolicy,
    rule: IngressRule,
    s: SourcePod,
    at: number,
  ): Tri => {
    if (rule.peers === 'all') return true;
    let cached = peerCache.get(rule);
    if (!cached) {
      cached = [];
      peerCache.set(rule, cached);
    }
    if (at >= 0 && cached[at] !== undefined) return cached[at];
    const result = rule.peers.reduce<Tri>(
      (a, peer) =>
        or(a, peerAdmitsPod(ctx, peer, namespaceOf(policy.object), s)),
      false,
    );
    if (at >= 0) cached[at] = result;
    return result;
  };
  const admits = (s: SourcePod, at = -1): Tri =>
    rules.reduce<Tri>((acc, { policy, rule }) => {
      if (acc === true) return acc;
      const portOk = rulePorts(rule, dest.pod, dest.port, protocol);
      if (portOk === false) return acc;
      return or(acc, and(portOk, peersAdmit(policy, rule, s, at)));
    }, false);

  if (source.kind === 'address' && source.seen.kind === 'client') {
    // The pod sees the client: which clients pass is the verdict's question.
    const blocks: PolicyIpBlock[] = [];
    let any = false;
    for (const { policy, rule } of rules) {
      if (rulePorts(rule, dest.pod, dest.port, protocol) === false) continue;
      if (rule.peers === 'all') any = true;
      else
        for (const peer of rule.peers)
          if (peer.ipBlock)
            blocks.push({ policy: policy.name, ...peer.ipBlock });
    }
    const counts = { admitted: 0, refused: 0, unknown: 0 };
    let allowed: Tri = null;
    let reason = `only clients in ${blocks
      .map(
        b =>
          b.cidr + (b.except.length ? ` (except ${b.except.join(', ')})` : ''),
      )
      .join(', ')}`;
    if (any) {
      allowed = true;
      reason = 'a rule admits every source';
      counts.admitted = 1;
    } else if (blocks.length === 0) {
      allowed = false;
      reason = 'no rule admits an address outside the cluster';
      counts.refused = 1;
    } else counts.unknown = 1;
    return {
      evaluation: evaluation(allowed, reason, any ? 'any' : blocks),
      admitted: counts.admitted,
      refused: counts.refused,
      unknown: counts.unknown,
    };
  }

  if (senders.length === 0) {
    // Nobody known: only a rule open to every source on this port decides.
    const open = admits({});
    return {
      evaluation: evaluation(
        open === true ? true : null,
        open === true
          ? 'a rule admits every source on this port'
          : 'the source the pod sees is not known',
      ),
      admitted: open === true ? 1 : 0,
      refused: 0,
      unknown: open === true ? 0 : 1,
    };
  }
  let admitted = 0;
  let refused = 0;
  let unknown = 0;
  for (let i = 0; i < senders.length; i++) {
    const r = admits(senders[i], i);
    if (r === true) admitted++;
    else if (r === false) refused++;
    else unknown++;
  }
  const what = source.kind === 'pods' ? 'proxy pods' : 'node addresses';
  let allowed: Tri = null;
  let reason = `${unknown} of ${senders.length} ${what} cannot be evaluated (labels or namespaces not in the input)`;
  if (refused === senders.length) {
    allowed = false;
    reason = `no rule admits the ${what}`;
  } else if (admitted === senders.length) {
    allowed = true;
    reason = `admitted by ${isolating.map(p => p.name).join(', ')}`;
  } else if (refused > 0) {
    allowed = false;
    reason = `${refused} of ${senders.length} ${what} refused`;
  }
  return {
    evaluation: evaluation(allowed, reason),
    admitted,
    refused,
    unknown,
  };
}

function sourceText(source: TrafficSource): string {
  if (source.kind === 'pods')
    return `${source.pods.length} pod${
      source.pods.length === 1 ? '' : 's'
    } of ${source.what}`;
  switch (source.seen.kind) {
    case 'client':
      return 'the client address (preserved)';
    case 'node':
      return `node addresses after SNAT (${
        source.seen.addresses.join(', ') || 'unknown'
      })`;
    case 'load-balancer':
      return 'load balancer addresses';
    default:
      return `an unknown address (${source.seen.reason})`;
  }
}

function sourceAddressOf(source: TrafficSource): SourceAddress {
  if (source.kind === 'address') return source.seen;
  return {
    kind: 'unknown',
    reason: 'the proxy pods open the connections to the pods',
  };
}

const ENFORCEMENT =
  'NetworkPolicies are enforced by the CNI plugin (Calico, Cilium, ...); without one that enforces them, they have no effect. This hop is a prediction from the policies.';

/**
 * The NetworkPolicy hop of a route's destination, or undefined when the
 * input does not say which policies the namespace has.
 */
export function networkPolicyHop(
  ctx: ResolveContext,
  service: KubeObject,
  protocol: string,
  back: Hop[],
  source: TrafficSource,
): NetworkPolicyHop | undefined {
  const namespace = namespaceOf(service);
  if (!policiesListed(ctx, namespace)) return undefined;
  const podHop = back.find((h): h is PodHop => h.kind === 'pod');
  // No endpoint, no traffic for a policy to judge: the pod hop says why.
  if (!podHop || podHop.endpoints.length === 0) return undefined;
  // Every route to the same endpoints from the same source shares the hop.
  // A short list per endpoint list: most have one source, and a Map each costs more.
  let memo = ctx.policyHops.get(podHop.endpoints);
  if (!memo) {
    memo = [];
    ctx.policyHops.set(podHop.endpoints, memo);
  }
  // The parts are compared apart: a proxy's source key is one string per
  // report, so comparing it is cheap, and joining it to the protocol is not.
  const sourceId = sourceKey(ctx, source);
  const known = memo.find(
    m => m.protocol === protocol && m.source === sourceId,
  );
  if (known) return known.hop;
  const hop = computePolicyHop(
    ctx,
    service,
    protocol,
    back,
    podHop,
    source,
    sourceId,
  );
  memo.push({ protocol, source: sourceId, hop });
  return hop;
}

/** The numbers the named ports of these policies' rules stand for on this pod. */
function namedPortsKey(
  policies: ParsedPolicy[],
  pod: KubeObject | undefined,
  protocol: string,
  target: { portName?: string } | undefined,
): string {
  let key = '';
  for (const p of policies)
    for (const rule of p.rules)
      if (rule.ports !== 'all')
        for (const entry of rule.ports)
          if (typeof entry.port === 'string') {
            // The name the traffic's port has on the pod needs no lookup.
            if (entry.port === target?.portName) key += '=,';
            else
              key += `${entry.port}=${
                pod ? namedPort(pod, entry.port, protocol) ?? '-' : '?'
              },`;
          }
  return key;
}

/** Read directly: this runs once per endpoint of every route behind a policy with named ports. */
function namedPort(
  pod: KubeObject,
  name: string,
  protocol: string,
): number | undefined {
  const containers = isRecord(pod.spec) ? pod.spec.containers : undefined;
  if (!Array.isArray(containers)) return undefined;
  for (const c of containers) {
    const ports = isRecord(c) ? c.ports : undefined;
    if (!Array.isArray(ports)) continue;
    for (const p of ports)
      if (
        isRecord(p) &&
        p.name === name &&
        (p.protocol ?? 'TCP') === protocol &&
        typeof p.containerPort === 'number'
      )
        return p.containerPort;
  }
  return undefined;
}

function sourceKey(ctx: ResolveContext, source: TrafficSource): string {
  if (source.kind === 'pods') {
    // Proxies' pod lists are shared by their routes: their keys are made once.
    let key = ctx.sourceKeys.get(source.pods);
    if (key === undefined) {
      key = `pods|${source.what}|${source.pods
        .map(p => `${p.namespace}/${p.pod}@${p.address}`)
        .join(',')}`;
      ctx.sourceKeys.set(source.pods, key);
    }
    return key;
  }
  const seen = source.seen;
  return `address|${seen.kind}|${
    seen.kind === 'node' || seen.kind === 'load-balancer'
      ? seen.addresses.join(',')
      : ''
  }|${seen.kind === 'unknown' ? seen.reason : ''}`;
}

/** Who sends, as the policies see them: labels, namespace, address. */
function sendersOf(ctx: ResolveContext, source: TrafficSource): SourcePod[] {
  if (source.kind === 'pods')
    return source.pods.map(p => {
      const pod = p.pod
        ? ctx.index.pods.get(p.namespace ?? '', p.pod)
        : undefined;
      return {
        namespace: p.namespace,
        labels: pod ? stringMap(pod, 'metadata.labels') : undefined,
        address: p.address || undefined,
      };
    });
  if (source.seen.kind === 'node')
    return source.seen.addresses.map(a => ({ address: a }));
  return [];
}

/**
 * How pods were judged for one source, namespace and protocol, with short
 * keys per pod below. The source's key is a level of its own: a proxy's is
 * one long string per report, hashed once, not joined again per route.
 */
function outcomesFor(
  ctx: ResolveContext,
  sourceId: string,
  namespace: string,
  protocol: string,
): Map<string, PodOutcome> {
  let byNamespace = ctx.policyOutcomes.get(sourceId);
  if (!byNamespace) {
    byNamespace = new Map();
    ctx.policyOutcomes.set(sourceId, byNamespace);
  }
  const key = `${namespace}|${protocol}`;
  let outcomes = byNamespace.get(key);
  if (!outcomes) {
    outcomes = new Map();
    byNamespace.set(key, outcomes);
  }
  return outcomes;
}

function computePolicyHop(
  ctx: ResolveContext,
  service: KubeObject,
  protocol: string,
  back: Hop[],
  podHop: PodHop,
  source: TrafficSource,
  sourceId: string,
): NetworkPolicyHop {
  const namespace = namespaceOf(service);
  // Built when first needed: most pods are judged like one before them.
  let senders: SourcePod[] | undefined;
  const peerCache = new Map<IngressRule, Tri[]>();
  let portByPod: Map<string, number | undefined> | undefined;
  const portOf = (e: Endpoint): number | undefined => {
    if (e.port !== undefined) return e.port;
    // Rare: endpoints without a port (Endpoints of a pod not in the input).
    portByPod ??= new Map(
      (
        back.find((h): h is ContainerHop => h.kind === 'container')?.targets ??
        []
      ).map(t => [t.pod, t.port]),
    );
    return portByPod.get(e.pod ?? e.address);
  };
  const policies = policiesIn(ctx, namespace).filter(p => p.isolatesIngress);
  const isolatingAll = new Set<ParsedPolicy>();
  let admitted = 0;
  let refused = 0;
  let unknown = 0;
  const pods: PodPolicyEvaluation[] = [];
  const outcomes = outcomesFor(ctx, sourceId, namespace, protocol);
  // The container hop has one target per endpoint, in the same order.
  const targets = back.find(
    (h): h is ContainerHop => h.kind === 'container',
  )?.targets;
  const endpoints = podHop.endpoints;
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i];
    const target =
      targets?.[i]?.pod === (e.pod ?? e.address) ? targets[i] : undefined;
    const pod = e.pod
      ? ctx.index.pods.get(e.namespace ?? namespace, e.pod)
      : undefined;
    // Read directly: this runs once per endpoint of every route.
    const raw = pod?.metadata.labels;
    const labels = isRecord(raw) ? (raw as Record<string, string>) : undefined;
    let unknownSelection = false;
    let isoKey = '';
    const isolating: ParsedPolicy[] = [];
    policies.forEach((p, at) => {
      if (p.podSelector.empty || (labels && p.podSelector.matches(labels))) {
        isolating.push(p);
        isoKey += `${at},`;
      } else if (!labels) unknownSelection = true;
    });
    if (unknownSelection) {
      pods.push({
        pod: e.pod ?? e.address,
        namespace: e.namespace ?? namespace,
        isolatedBy: [],
        allowed: null,
        reason:
          'the pod is not in the input: which policies select it is not known',
      });
      unknown++;
      continue;
    }
    isolating.forEach(p => isolatingAll.add(p));
    // The endpoint's port is where kube-proxy and the proxies send to.
    const port = portOf(e);
    // Pods alike (same policies, port, named ports, source) are judged alike:
    // the judgement is kept for the report.
    const cacheKey = `${isoKey}|${port}|${namedPortsKey(
      isolating,
      pod,
      protocol,
      target,
    )}`;
    let outcome = outcomes.get(cacheKey);
    if (!outcome) {
      outcome = evaluatePod(
        ctx,
        {
          name: e.pod ?? e.address,
          namespace: e.namespace ?? namespace,
          pod,
          labels,
          port,
        },
        isolating,
        source,
        (senders ??= sendersOf(ctx, source)),
        peerCache,
        protocol,
      );
      outcomes.set(cacheKey, outcome);
    }
    const { allowed, clientAllow, reason, isolatedBy } = outcome.evaluation;
    pods.push(
      podEvaluation(
        e.pod ?? e.address,
        e.namespace ?? namespace,
        isolatedBy,
        allowed,
        reason,
        port,
        clientAllow,
      ),
    );
    admitted += outcome.admitted;
    refused += outcome.refused;
    unknown += outcome.unknown;
  }
  const isolating = [...isolatingAll];
  const seen = sourceText(source);
  const problems: string[] = [];
  let status: NetworkPolicyHop['status'] = 'ok';
  const total = admitted + refused + unknown;
  if (total > 0 && refused === total) {
    status = 'broken';
    problems.push(`the policies refuse ${seen} on every pod`);
  } else if (refused > 0) {
    status = 'degraded';
    problems.push(
      `the policies refuse ${seen} on ${
        pods.filter(p => p.allowed === false).length
      } of ${pods.length} pods`,
    );
  } else if (
    unknown > 0 &&
    !(source.kind === 'address' && source.seen.kind === 'client')
  ) {
    status = 'unknown';
    problems.push(pods.find(p => p.allowed === null)?.reason ?? 'not known');
  }
  const isolatedCount = pods.filter(p => p.isolatedBy.length > 0).length;
  const label =
    isolating.length === 0
      ? `NetworkPolicy: no policy isolates the ${pods.length} pod${
          pods.length === 1 ? '' : 's'
        } (all traffic allowed)`
      : `NetworkPolicy ${isolating
          .map(p => p.name)
          .join(', ')}: ${isolatedCount} of ${
          pods.length
        } pods isolated; source seen: ${sourceText(
          source,
        )} (prediction, enforced by the CNI)`;
  const first = isolating[0];
  const object: ObjectRef = first ? refOf(first.object) : refOf(service);
  return {
    kind: 'network-policy',
    status,
    label,
    object,
    ...(problems.length ? { problems } : {}),
    enforcement: ENFORCEMENT,
    source: seen,
    sourceAddress: sourceAddressOf(source),
    policies: isolating.map(p => refOf(p.object)),
    pods,
  };
}
