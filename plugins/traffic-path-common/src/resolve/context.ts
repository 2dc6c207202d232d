/*
 * What every resolution step shares for one report: the index, the
 * kube-proxy mode, caches, and the findings collected so far.
 */
import { ClusterIndex } from '../index/clusterIndex';
import { Finding, KubeProxyMode, NodeAddress } from '../model';
import { ControllerResolution } from './controller';

export type ResolveContext = {
  index: ClusterIndex;
  kubeProxyMode: KubeProxyMode;
  nodes: NodeAddress[];
  controllers: Map<string, ControllerResolution>;
  findings: Finding[];
};
