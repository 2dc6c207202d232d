/*
 * What every resolution step shares for one report: the index, the
 * kube-proxy mode, caches, and the findings collected so far.
 */
import { ClusterIndex } from '../index/clusterIndex';
import { FindingSet } from '../findings/catalog';
import {
  Endpoint,
  KubeObject,
  KubeProxyMode,
  NetworkPolicyHop,
  NodeAddress,
} from '../model';
import { ControllerResolution } from './controller';
import { allNodes } from './endpoints';
import { kubeProxyMode } from './kubeProxy';
import type { Front } from './front';
import type { ParsedPolicy, PodOutcome } from './networkPolicy';
import type { TraefikInstance } from './traefik';
import type { IstioGatewayPods } from './istio';

export type ResolveContext = {
  index: ClusterIndex;
  kubeProxyMode: KubeProxyMode;
  nodes: NodeAddress[];
  controllers: Map<string, ControllerResolution>;
  findings: FindingSet;
  /** Fronts of exposed Services by `namespace/name:port`. */
  fronts: Map<string, Front>;
  /** The Traefik instance serving CRDs (key ''), found once. */
  traefik: Map<string, TraefikInstance | undefined>;
  /** Istio Gateways' ingress gateway pods and Service, by `namespace/name`. */
  istio: Map<string, IstioGatewayPods>;
  /** NetworkPolicy hops by the endpoints they judge and the source. */
  policyHops: Map<
    Endpoint[],
    { protocol: string; source: string; hop: NetworkPolicyHop }[]
  >;
  /** Keys of the proxies' pod lists, made once (the lists are shared by routes). */
  sourceKeys: Map<Endpoint[], string>;
  /** How NetworkPolicies judge pods alike (same policies, port, source): by source key, then `namespace|protocol`. */
  policyOutcomes: Map<string, Map<string, Map<string, PodOutcome>>>;
  /** NetworkPolicies of a namespace, read once. */
  policies: Map<string, ParsedPolicy[]>;
  /** The Service in front of each Gateway, by `namespace/name` (undefined: none found). */
  gatewayServices: Map<string, KubeObject | undefined>;
};

/** A fresh context for one report over this index. */
export function createContext(index: ClusterIndex): ResolveContext {
  return {
    index,
    kubeProxyMode: kubeProxyMode(index),
    nodes: allNodes(index),
    controllers: new Map(),
    findings: new FindingSet(),
    fronts: new Map(),
    gatewayServices: new Map(),
    policies: new Map(),
    policyHops: new Map(),
    sourceKeys: new Map(),
    policyOutcomes: new Map(),
    traefik: new Map(),
    istio: new Map(),
  };
}
