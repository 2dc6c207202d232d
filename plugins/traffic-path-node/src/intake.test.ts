/*
 * What a watched cluster keeps: of a real Node (a kind cluster's, from
 * popeye's test data: `__fixtures__/kind-node.json`, with what a cloud
 * kubelet adds besides) only what the engine reads; a heartbeat is no
 * change, an address or a Ready condition is; and every scenario's report
 * is the same from the kept objects as from the objects themselves.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  KubeObject,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { ScenarioFiles } from '@internal/traffic-path-demo-cluster';
import { sameKept, trimForModel } from './intake';
import kindNode from './__fixtures__/kind-node.json';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The kind cluster's Node as the API server serves it from a cloud kubelet's writes. */
function kubeletNode(heartbeat = '2024-01-27T15:31:39Z'): KubeObject {
  const node = clone(kindNode) as any;
  node.metadata = {
    ...node.metadata,
    uid: '6f1c1d1e-8a43-4c54-9a27-0b3b0c8f7d11',
    resourceVersion: '48213',
    creationTimestamp: '2024-01-03T20:35:08Z',
    annotations: {
      'node.alpha.kubernetes.io/ttl': '0',
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    },
    managedFields: [
      {
        manager: 'kubelet',
        operation: 'Update',
        subresource: 'status',
        time: heartbeat,
        fieldsV1: { 'f:status': { 'f:conditions': {} } },
      },
    ],
  };
  node.spec.providerID = 'aws:///eu-west-1a/i-0abc123def4567890';
  node.spec.taints = [
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
  ];
  node.status.conditions = node.status.conditions.map((c: any) => ({
    ...c,
    lastHeartbeatTime: heartbeat,
  }));
  node.status.images = [
    {
      names: [
        'registry.k8s.io/etcd@sha256:dd75ec974b0a2a6f6bb47001ba09207976e625db898d1b16735528c009cb171c',
        'registry.k8s.io/etcd:3.5.9-0',
      ],
      sizeBytes: 86464836,
    },
  ];
  node.status.volumesInUse = ['kubernetes.io/csi/ebs.csi.aws.com^vol-0a1b2c'];
  node.status.volumesAttached = [
    {
      name: 'kubernetes.io/csi/ebs.csi.aws.com^vol-0a1b2c',
      devicePath: '',
    },
  ];
  node.status.config = {};
  return node;
}

describe('trimForModel of a Node', () => {
  it('keeps its name, addresses and Ready condition (type and status) only', () => {
    const kept = trimForModel(kubeletNode());
    expect(kept).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', resourceVersion: '48213' },
      status: {
        addresses: [
          { address: '192.168.228.3', type: 'InternalIP' },
          { address: 'dashb-control-plane', type: 'Hostname' },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    expect(JSON.stringify(kept).length).toBeLessThan(
      JSON.stringify(kubeletNode()).length / 5,
    );
  });

  it('keeps what is of the wrong shape as it came, for the loader to report', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { addresses: 'InternalIP 10.0.0.1', conditions: 'Ready' },
    } as unknown as KubeObject;
    expect(trimForModel(node)).toEqual(node);
    const bare = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    expect(trimForModel(bare as KubeObject)).toEqual(bare);
  });

  it('a heartbeat is the same Node; an address or the Ready condition is not', () => {
    const before = trimForModel(kubeletNode());
    const heartbeat = kubeletNode('2024-01-27T15:31:49Z');
    heartbeat.metadata.resourceVersion = '48290';
    (heartbeat.status as any).images.push({
      names: ['nginx:1.25'],
      sizeBytes: 70_000_000,
    });
    expect(sameKept(before, trimForModel(heartbeat))).toBe(true);

    const moved = kubeletNode();
    (moved.status as any).addresses[0].address = '192.168.228.9';
    expect(sameKept(before, trimForModel(moved))).toBe(false);

    const notReady = kubeletNode();
    (notReady.status as any).conditions[3].status = 'Unknown';
    expect(sameKept(before, trimForModel(notReady))).toBe(false);

    // A pressure condition is not read: its flip is no change either.
    const pressure = kubeletNode();
    (pressure.status as any).conditions[1].status = 'True';
    expect(sameKept(before, trimForModel(pressure))).toBe(true);
  });
});

describe('sameKept', () => {
  const pod = (labels: Record<string, string>, rv: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', labels, resourceVersion: rv },
    status: { podIP: '10.0.0.1' },
  });

  it('ignores the resourceVersion and managedFields, nothing else', () => {
    expect(sameKept(pod({ app: 'web' }, '1'), pod({ app: 'web' }, '2'))).toBe(
      true,
    );
    const managed = pod({ app: 'web' }, '3');
    (managed.metadata as any).managedFields = [{ manager: 'kubectl' }];
    expect(sameKept(pod({ app: 'web' }, '1'), managed)).toBe(true);
    expect(sameKept(pod({ app: 'web' }, '1'), pod({ app: 'api' }, '1'))).toBe(
      false,
    );
    expect(
      sameKept(pod({ app: 'web' }, '1'), pod({ app: 'web', x: 'y' }, '1')),
    ).toBe(false);
    const moved = pod({ app: 'web' }, '2');
    moved.status = { podIP: '10.0.0.2' };
    expect(sameKept(pod({ app: 'web' }, '1'), moved)).toBe(false);
    const listed = pod({ app: 'web' }, '2');
    listed.status = { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] };
    expect(sameKept(pod({ app: 'web' }, '1'), listed)).toBe(false);
  });

  it('drops the leader-election lock a controller renews every few seconds', () => {
    const lock = (renewTime: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cluster-autoscaler',
        namespace: 'kube-system',
        annotations: {
          'control-plane.alpha.kubernetes.io/leader': JSON.stringify({
            holderIdentity: 'cluster-autoscaler-7d9f',
            leaseDurationSeconds: 15,
            renewTime,
          }),
        },
      },
    });
    const a = trimForModel(lock('2024-01-27T15:31:39Z'));
    expect(a.metadata).toEqual({
      name: 'cluster-autoscaler',
      namespace: 'kube-system',
    });
    expect(sameKept(a, trimForModel(lock('2024-01-27T15:31:41Z')))).toBe(true);
  });
});

describe('trimForModel of the cluster-autoscaler status', () => {
  // As the cluster-autoscaler (1.28) writes it after each scan.
  const status = (time: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cluster-autoscaler-status',
      namespace: 'kube-system',
      resourceVersion: time.slice(17, 19),
      annotations: { 'cluster-autoscaler.kubernetes.io/last-updated': time },
    },
    data: {
      status: `time: ${time}\nautoscalerStatus: Running\nclusterWide:\n  health:\n    status: Healthy\n    nodeCounts:\n      registered:\n        total: 3\n        ready: 3\n    lastProbeTime: "${time}"\n`,
    },
  });

  it('keeps its name only: a scan is no change', () => {
    const a = trimForModel(status('2024-01-27 15:31:39.123 +0000 UTC'));
    expect(a).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cluster-autoscaler-status',
        namespace: 'kube-system',
        resourceVersion: '39',
      },
    });
    const b = trimForModel(status('2024-01-27 15:31:49.456 +0000 UTC'));
    expect(sameKept(a, b)).toBe(true);
  });

  it('keeps a ConfigMap of that name elsewhere as it is', () => {
    const elsewhere = status('2024-01-27 15:31:39.123 +0000 UTC');
    elsewhere.metadata.namespace = 'shop';
    expect(trimForModel(elsewhere)).toEqual(elsewhere);
  });
});

const root = resolve(__dirname, '../../../test/scenarios');

/** Scenarios with a cluster: what a watched cluster would hold. */
const scenarios = readdirSync(root).filter(name => {
  try {
    return statSync(join(root, name, 'cluster')).isDirectory();
  } catch {
    return false;
  }
});

describe('the kept objects give the same report', () => {
  it('has scenarios with a cluster', () => {
    expect(scenarios.length).toBeGreaterThan(20);
  });

  it.each(scenarios)('%s', name => {
    // Read as the demo cluster that the live model watches reads them.
    const { objects } = new ScenarioFiles([join(root, name, 'cluster')]).read();
    const full = resolveReport(clone(objects));
    const kept = resolveReport(clone(objects).map(trimForModel));
    expect(kept).toEqual(full);
  });
});
