/*
 * The command that shows kube-proxy's rules for an address, per mode. Kept
 * apart from the mode detection so that the frontend can use it without
 * bundling a YAML parser.
 */
import { KubeProxyMode } from '../model';

/** The command that shows the translation rules on a node, per mode. */
export function kubeProxyCheckCommand(
  mode: KubeProxyMode,
  address: string,
  port: number,
): string {
  switch (mode) {
    case 'ipvs':
      return `ipvsadm -Ln -t ${address}:${port}`;
    case 'nftables':
      return `nft list ruleset | grep -n '${address}'`;
    case 'ebpf':
      return `cilium-dbg service list | grep '${address}:${port}'`;
    case 'iptables':
    case 'unknown':
    default:
      return `iptables-save -t nat | grep -- '${address}'`;
  }
}
