/*
 * The kube-proxy mode, read from the kube-proxy ConfigMap (kubeadm's
 * `config.conf`, EKS's `config`) or Cilium's kube-proxy replacement.
 * "unknown" rather than a guess when neither is in the input.
 */
import { parse } from 'yaml';
import { ClusterIndex } from '../index/clusterIndex';
import { KubeProxyMode } from '../model';
import { field, isRecord, str } from '../util/fields';

const modes: Record<string, KubeProxyMode> = {
  iptables: 'iptables',
  ipvs: 'ipvs',
  nftables: 'nftables',
  // kubeadm writes an empty mode; kube-proxy then uses iptables on Linux.
  '': 'iptables',
};

function modeFromConfig(text: string): KubeProxyMode {
  try {
    const config = parse(text);
    const mode = typeof config?.mode === 'string' ? config.mode : '';
    return modes[mode] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function kubeProxyMode(index: ClusterIndex): KubeProxyMode {
  const cilium = index.configMaps.get('kube-system', 'cilium-config');
  const replacement = cilium
    ? str(cilium, 'data.kube-proxy-replacement')
    : undefined;
  if (replacement === 'true' || replacement === 'strict') return 'ebpf';
  for (const name of ['kube-proxy', 'kube-proxy-config']) {
    const cm = index.configMaps.get('kube-system', name);
    if (!cm) continue;
    // `data` keys contain dots, so they are read directly, not by path.
    const data = field(cm, 'data');
    const raw = isRecord(data) ? data['config.conf'] ?? data.config : undefined;
    if (typeof raw === 'string') return modeFromConfig(raw);
  }
  return 'unknown';
}
