/*
 * The Traffic Path model: what a report says about how requests reach a
 * service. These types are the JSON form (schemaVersion 1) documented by
 * docs/report.schema.json; add fields freely, never rename one.
 */

/** A Kubernetes object as the API returns it. Fields are read defensively. */
export type KubeObject = {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** Identifies the object a hop or a finding is about. */
export type ObjectRef = {
  kind: string;
  namespace?: string;
  name: string;
};

/** A problem with the input itself: a file, an item of it, a field. */
export type InputError = {
  source: string;
  item?: string;
  field?: string;
  message: string;
};

export type Severity = 'error' | 'warning' | 'info';

export type Finding = {
  code: string;
  severity: Severity;
  object: ObjectRef;
  message: string;
  hint: string;
  /** A kubectl one-liner that shows the raw state behind the finding. */
  reproduce: string;
  /** The ids of the routes the finding concerns, when it concerns routes. */
  routeIds?: string[];
  /** The hop kind the finding concerns, when it concerns one. */
  hop?: HopKind;
};

export type KubeProxyMode =
  | 'iptables'
  | 'ipvs'
  | 'nftables'
  | 'ebpf'
  | 'unknown';

export type HopKind =
  | 'client'
  | 'dns'
  | 'load-balancer'
  | 'node-port'
  | 'kube-proxy'
  | 'ingress-controller'
  | 'ingress'
  | 'service'
  | 'network-policy'
  | 'pod'
  | 'container'
  | 'not-modelled';

export type HopStatus = 'ok' | 'degraded' | 'broken' | 'unknown';

/** A source restriction on a hop, evaluated against the address that hop sees. */
export type SourceRestriction = {
  /** Where the rule comes from, e.g. `spec.loadBalancerSourceRanges`. */
  origin: string;
  /** `allow`: only these ranges pass; `deny`: these ranges are refused. */
  mode: 'allow' | 'deny';
  cidrs: string[];
  /** False when the rule's entries live outside the cluster (cloud ACL by id). */
  visible: boolean;
  /** For rules that are not visible: what is known about them. */
  description?: string;
  /** True when the platform ignores the rule in this configuration. */
  ignored?: boolean;
  ignoredReason?: string;
};

/** An entry of a source range field that is not a CIDR: the component that applies it ignores it. */
export type InvalidSourceRange = { field: string; value: string };

/** Which address a hop sees as the request's source. */
export type SourceAddress =
  | { kind: 'client' }
  | { kind: 'node'; addresses: string[] }
  | { kind: 'load-balancer'; addresses: string[] }
  /** `header`: the address is read from a request header (X-Forwarded-For) the hops before do not set. */
  | { kind: 'unknown'; reason: string; header?: string };

type HopBase = {
  status: HopStatus;
  /** One line for people: what this hop is. */
  label: string;
  object?: ObjectRef;
  /** Why the status is not ok. */
  problems?: string[];
};

export type ClientHop = HopBase & { kind: 'client'; address?: string };

export type DnsHop = HopBase & {
  kind: 'dns';
  host?: string;
  /** The records the host should resolve to, to reach the next hop. */
  expected: string[];
  recordType: 'A/AAAA' | 'CNAME' | 'pod IPs';
  /** Filled by a live DNS check; absent when not checked. */
  resolved?: string[];
  /**
   * True when the object is deployed but its status publishes no address (no
   * controller has admitted it): `expected` then holds what its controller's
   * load balancer has.
   */
  noStatusAddress?: boolean;
};

export type LoadBalancerHop = HopBase & {
  kind: 'load-balancer';
  addresses: string[];
  exposure: 'public' | 'internal';
  provider: string;
  loadBalancerClass?: string;
  /** The cloud's identity of the LB, when an annotation gives it. */
  id?: string;
  targetType: 'nodes' | 'pods';
  ports: {
    port: number;
    protocol: string;
    nodePort?: number;
    targetPort: string;
  }[];
  restrictions: SourceRestriction[];
  /** Entries of the source range fields that are not CIDRs (not in `restrictions`). */
  invalidRanges?: InvalidSourceRange[];
  /** Whether the client address survives this hop. */
  preservesClientIp: boolean;
  /**
   * True when the Service comes from manifests (it has no status yet): a
   * missing address is assigned when it is created, it is not pending.
   */
  notDeployed?: boolean;
  /**
   * Deployed (live pods behind it) but the input has no status of the
   * Service: whether it has an address is not known, so not pending either.
   */
  statusMissing?: boolean;
};

export type NodeAddress = { node: string; address: string; ready: boolean };

export type NodePortHop = HopBase & {
  kind: 'node-port';
  externalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  /** The nodes that accept the traffic (with Local: those with a ready local endpoint). */
  nodes: NodeAddress[];
  snat: boolean;
  /**
   * externalTrafficPolicy Local with deployed endpoints, none of them ready:
   * every node fails the load balancer's health check.
   */
  noReadyLocalEndpoint?: boolean;
} & (
    | { notDeployed?: false; nodePort: number }
    | {
        /**
         * The Service comes from manifests (no status, only pod templates
         * behind it): `nodePort` is absent unless the manifest sets one (the
         * API assigns it at create), and the nodes are known only in a cluster.
         */
        notDeployed: true;
        nodePort?: number;
      }
  );

export type KubeProxyHop = HopBase & {
  kind: 'kube-proxy';
  mode: KubeProxyMode;
  /** What is translated: a node port, or a ClusterIP. */
  from: 'node-port' | 'cluster-ip';
  destination: string;
};

export type ControllerKind = 'ingress-nginx' | 'traefik' | 'istio' | 'generic';

export type IngressControllerHop = HopBase & {
  kind: 'ingress-controller';
  controller: ControllerKind;
  /** IngressClass name, or the legacy annotation's value. */
  className?: string;
  /** IngressClass `spec.controller`. */
  controllerName?: string;
  /** How the class was chosen. */
  classSource:
    | 'spec.ingressClassName'
    | 'annotation'
    | 'default-class'
    | 'gateway'
    /** The proxy's own route objects (Traefik IngressRoute, Istio VirtualService). */
    | 'crd'
    | 'none';
  pods: Endpoint[];
  service?: ObjectRef;
  /** `endpoints`: straight to pod IPs; `cluster-ip`: through the Service's ClusterIP. */
  upstream: 'endpoints' | 'cluster-ip' | 'unknown';
  /** What the controller sees as the request's source. */
  sourceAddress: SourceAddress;
  /**
   * What the input shows is missing: the IngressClass the Ingress names, or
   * any controller serving its class (the input lists pods beyond the
   * Ingress's namespace and none serves it).
   */
  notFound?: 'ingress-class' | 'controller';
  /** When the class is the default and several IngressClasses are marked default: their names. */
  defaultClasses?: string[];
};

export type IngressHop = HopBase & {
  kind: 'ingress';
  host?: string;
  path?: string;
  pathType?: string;
  tls: boolean;
  tlsSecret?: string;
  restrictions: SourceRestriction[];
  /** Entries of the allowlists that are not CIDRs (not in `restrictions`). */
  invalidRanges?: InvalidSourceRange[];
  /** What the allowlist is evaluated against. */
  sourceAddress: SourceAddress;
  /** True when the input lists the namespace's Secrets and `tlsSecret` is not among them. */
  tlsSecretNotFound?: boolean;
  /**
   * Instead of `tlsSecretNotFound` when the Ingress is not deployed (no
   * status): the Secret may be created at deploy (cert-manager), so no claim.
   */
  tlsSecretAtDeploy?: boolean;
  /** When spec.tls has entries but none for this host: the hosts it covers. */
  otherTlsHosts?: string[];
  /** The resource (`Kind name`) the rule sends to instead of a Service: the controller serves it. */
  resourceBackend?: string;
};

export type ServiceHop = HopBase & {
  kind: 'service';
  type: string;
  clusterIPs: string[];
  port?: { name?: string; port: number; targetPort: string; nodePort?: number };
  /** False when the traffic does not go through the ClusterIP (shown aside). */
  onPath: boolean;
  externalName?: string;
  headless: boolean;
  /** True when the input lists the namespace's Services and this one is not among them. */
  notFound?: boolean;
  /** The port the route asks for when the Service has no such port, and why. */
  portNotFound?: { wanted?: number | string; reason: string };
};

/** An ipBlock peer that admits clients: `cidr` without the `except` ranges. */
export type PolicyIpBlock = { policy: string; cidr: string; except: string[] };

/** What the NetworkPolicies say about one destination pod. */
export type PodPolicyEvaluation = {
  pod: string;
  namespace: string;
  /** The port the traffic arrives at on the pod, when known. */
  port?: number;
  /** The policies that select the pod for ingress (isolate it); empty: not isolated. */
  isolatedBy: string[];
  /**
   * Whether the source the pod sees may connect: null when it depends on the
   * client (see `clientAllow`) or cannot be told from the input.
   */
  allowed: boolean | null;
  /** When the pod sees the client's address: what admits a client ('any': every source). */
  clientAllow?: 'any' | PolicyIpBlock[];
  reason: string;
};

export type NetworkPolicyHop = HopBase & {
  kind: 'network-policy';
  /** The CNI plugin enforces policies: what is shown is a prediction from them. */
  enforcement: string;
  /** Who the policies see as the source (the proxy's pods, the client, node addresses). */
  source: string;
  sourceAddress: SourceAddress;
  /** Every policy that selects one of the pods for ingress. */
  policies: ObjectRef[];
  pods: PodPolicyEvaluation[];
};

export type Endpoint = {
  pod?: string;
  namespace?: string;
  address: string;
  node?: string;
  nodeAddress?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The resolved container port, when known. */
  port?: number;
  /** True when derived from selector and pods (no EndpointSlice or Endpoints). */
  derived?: boolean;
  /**
   * Set when the pod stands for a workload's pod template (manifests before
   * they are deployed): readiness, addresses and nodes are not known yet.
   */
  template?: PodTemplateOf;
};

/** The workload whose pod template stands in for pods that do not exist yet. */
export type PodTemplateOf = {
  kind: string;
  name: string;
  /** `spec.replicas` (1 when unset); absent for DaemonSets (one per node) and CronJobs. */
  replicas?: number;
};

export type PodHop = HopBase & {
  kind: 'pod';
  endpoints: Endpoint[];
  source: 'EndpointSlice' | 'Endpoints' | 'derived' | 'none';
  /**
   * When the endpoints are empty although the selector matches pods: those
   * pods, with how the Service's target port resolves on each.
   */
  unlistedPods?: ContainerTarget[];
};

export type ContainerTarget = {
  pod: string;
  container?: string;
  port?: number;
  portName?: string;
  declared: boolean;
};

export type ContainerHop = HopBase & {
  kind: 'container';
  targets: ContainerTarget[];
  /**
   * The pods (or endpoint addresses) whose containers do not declare the
   * target port; set only when the input holds the spec of one of the pods.
   */
  undeclared?: string[];
};

/**
 * A part of the way Traffic Path does not model (a mesh parent, a Traefik
 * middleware, an Istio route feature): shown, so that nothing is dropped
 * silently; its status is `unknown`.
 */
export type NotModelledHop = HopBase & {
  kind: 'not-modelled';
  /** What is not modelled, in words: `Traefik middleware stripPrefix`. */
  what: string;
};

export type Hop =
  | ClientHop
  | DnsHop
  | LoadBalancerHop
  | NodePortHop
  | KubeProxyHop
  | IngressControllerHop
  | IngressHop
  | ServiceHop
  | NetworkPolicyHop
  | PodHop
  | ContainerHop
  | NotModelledHop;

export type EntryKind =
  | 'ingress-rule'
  | 'ingress-default-backend'
  | 'http-route-rule'
  | 'grpc-route-rule'
  | 'tls-route-rule'
  | 'tcp-route-rule'
  | 'udp-route-rule'
  | 'traefik-route'
  | 'traefik-tcp-route'
  | 'istio-http-route'
  | 'load-balancer-service'
  | 'node-port-service'
  | 'external-name-service'
  | 'headless-service';

export type RouteEntry = {
  kind: EntryKind;
  object: ObjectRef;
  host?: string;
  path?: string;
  pathType?: string;
  /** The port a client connects to: 443 for TLS hosts, else 80, or the Service port. */
  port?: number;
  tls: boolean;
  /** `unknown`: node ports on nodes whose addresses are private or not in the input. */
  exposure: 'public' | 'internal' | 'cluster' | 'unknown';
};

/** One row of the hop table: where a packet goes at this step. */
export type HopTableRow = {
  step: number;
  hop: HopKind;
  from: string;
  to: string;
  action: string;
};

export type Verdict = {
  clientIp: string;
  /** null: a rule on the way is not visible from the cluster. */
  allowed: boolean | null;
  blockedAt?: HopKind;
  reason: string;
};

/** `unknown`: nothing on the way is broken or degraded, but a hop could not be seen. */
export type RouteHealth = 'healthy' | 'degraded' | 'broken' | 'unknown';

export type Route = {
  id: string;
  entry: RouteEntry;
  /** The backend Service the route ends at. */
  backend?: ObjectRef;
  /** A weighted backend (Gateway API): its weight and its share of the rule's traffic (0..1). */
  weight?: { weight: number; share: number };
  hops: Hop[];
  table: HopTableRow[];
  health: RouteHealth;
  brokenAt?: HopKind;
  verdict?: Verdict;
};

export type Report = {
  schemaVersion: 1;
  kubeProxyMode: KubeProxyMode;
  routes: Route[];
  findings: Finding[];
  inputErrors: InputError[];
};
