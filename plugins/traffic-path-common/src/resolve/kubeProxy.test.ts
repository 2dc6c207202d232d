import { buildIndex } from '../index/clusterIndex';
import { KubeObject } from '../model';
import { kubeProxyMode } from './kubeProxy';
import { kubeProxyCheckCommand } from './kubeProxyCommand';

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  kind: 'ConfigMap',
  metadata: { name, namespace: 'kube-system' },
  data,
});
const mode = (...objects: KubeObject[]) => kubeProxyMode(buildIndex(objects));

describe('kubeProxyMode', () => {
  it('reads kubeadm config.conf, where an empty mode means iptables', () => {
    expect(
      mode(
        configMap('kube-proxy', {
          'config.conf': 'kind: KubeProxyConfiguration\nmode: ipvs\n',
        }),
      ),
    ).toBe('ipvs');
    expect(
      mode(
        configMap('kube-proxy', {
          'config.conf': 'kind: KubeProxyConfiguration\nmode: ""\n',
        }),
      ),
    ).toBe('iptables');
    expect(
      mode(configMap('kube-proxy', { 'config.conf': 'mode: nftables' })),
    ).toBe('nftables');
  });

  it("reads EKS's kube-proxy-config and its `config` key", () => {
    expect(
      mode(
        configMap('kube-proxy-config', {
          config:
            'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nmode: "iptables"\n',
        }),
      ),
    ).toBe('iptables');
  });

  it('says ebpf when Cilium replaces kube-proxy, whatever the kube-proxy ConfigMap says', () => {
    expect(
      mode(
        configMap('cilium-config', { 'kube-proxy-replacement': 'true' }),
        configMap('kube-proxy', { 'config.conf': 'mode: ipvs' }),
      ),
    ).toBe('ebpf');
    expect(
      mode(
        configMap('cilium-config', { 'kube-proxy-replacement': 'false' }),
        configMap('kube-proxy', { 'config.conf': 'mode: ipvs' }),
      ),
    ).toBe('ipvs');
  });

  it('says unknown rather than guess', () => {
    expect(mode()).toBe('unknown');
    expect(
      mode(configMap('kube-proxy', { 'config.conf': 'mode: userspace' })),
    ).toBe('unknown');
    expect(
      mode(configMap('kube-proxy', { 'config.conf': ': not yaml : [' })),
    ).toBe('unknown');
  });
});

describe('kubeProxyCheckCommand', () => {
  it('names the tool of each mode', () => {
    expect(kubeProxyCheckCommand('ipvs', '192.168.195.85', 8080)).toBe(
      'ipvsadm -Ln -t 192.168.195.85:8080',
    );
    expect(kubeProxyCheckCommand('iptables', '10.96.0.1', 443)).toBe(
      "iptables-save -t nat | grep -- '10.96.0.1'",
    );
  });
});
