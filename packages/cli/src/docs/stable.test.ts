/*
 * The stable rendering on its own: which workload a pod belongs to, and
 * that only whole words are replaced.
 */
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { stableWords, workloadOfPod } from './stable';

function pod(
  name: string,
  extra: { labels?: Record<string, string>; owner?: [string, string] } = {},
  status: Record<string, unknown> = {},
): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'app',
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.owner
        ? {
            ownerReferences: [
              { kind: extra.owner[0], name: extra.owner[1], controller: true },
            ],
          }
        : {}),
    },
    spec: {},
    status,
  };
}

describe('workloadOfPod', () => {
  const none = new Map<string, KubeObject>();
  it('names the Deployment behind a ReplicaSet, with or without the hash label', () => {
    expect(
      workloadOfPod(
        pod('web-7d9c5b8f6-k2x8p', {
          labels: { 'pod-template-hash': '7d9c5b8f6' },
          owner: ['ReplicaSet', 'web-7d9c5b8f6'],
        }),
        none,
      ),
    ).toBe('Deployment app/web');
    expect(
      workloadOfPod(
        pod('web-7d9c5b8f6-k2x8p', { owner: ['ReplicaSet', 'web-7d9c5b8f6'] }),
        none,
      ),
    ).toBe('Deployment app/web');
    // Dumps without ownerReferences: the names the controllers give.
    expect(workloadOfPod(pod('web-7d9c5b8f6-k2x8p'), none)).toBe(
      'Deployment app/web',
    );
  });

  it('follows the ReplicaSet and Job objects the input holds', () => {
    const byKey = new Map<string, KubeObject>([
      [
        'ReplicaSet/app/web-abc',
        {
          kind: 'ReplicaSet',
          metadata: {
            name: 'web-abc',
            ownerReferences: [{ kind: 'Rollout', name: 'web' }],
          },
        },
      ],
      [
        'Job/app/report-29123',
        {
          kind: 'Job',
          metadata: {
            name: 'report-29123',
            ownerReferences: [{ kind: 'CronJob', name: 'report' }],
          },
        },
      ],
    ]);
    expect(
      workloadOfPod(
        pod('web-abc-x1', { owner: ['ReplicaSet', 'web-abc'] }),
        byKey,
      ),
    ).toBe('Rollout app/web');
    expect(
      workloadOfPod(
        pod('report-29123-q2w3e', { owner: ['Job', 'report-29123'] }),
        byKey,
      ),
    ).toBe('CronJob app/report');
    expect(
      workloadOfPod(pod('db-0', { owner: ['StatefulSet', 'db'] }), none),
    ).toBe('StatefulSet app/db');
  });

  it('leaves a pod no controller made alone', () => {
    expect(workloadOfPod(pod('debug'), none)).toBeUndefined();
  });
});

describe('stableWords', () => {
  const objects: KubeObject[] = [
    pod(
      'web-7d9c5b8f6-k2x8p',
      { owner: ['ReplicaSet', 'web-7d9c5b8f6'] },
      { podIP: '10.0.0.9', hostIP: '192.168.0.5' },
    ),
    pod(
      'db-0',
      { owner: ['StatefulSet', 'db'] },
      { podIP: '10.0.0.91', podIPs: [{ ip: 'fd00::9' }] },
    ),
    {
      kind: 'Node',
      metadata: { name: 'worker-1' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '192.168.0.5' },
          { type: 'ExternalIP', address: '203.0.113.7' },
        ],
      },
    },
    // An external IP clients use, on a node too: kept.
    {
      kind: 'Service',
      metadata: { name: 'web', namespace: 'app' },
      spec: { clusterIP: '10.96.0.10', externalIPs: ['203.0.113.7'] },
    },
  ];
  const { text } = stableWords(objects);

  it('replaces pods, pod IPs and nodes by what stays, whole words only', () => {
    expect(
      text(
        'pod web-7d9c5b8f6-k2x8p at 10.0.0.9:8080, not 10.0.0.91 or 10.0.0.90; db-0 on worker-1 (192.168.0.5), fd00::9',
      ),
    ).toBe(
      'pod <pod of Deployment app/web> at <pod IP of Deployment app/web>:8080, not <IP of pod app/db-0> or 10.0.0.90; db-0 on <node> (<node IP>), <IP of pod app/db-0>',
    );
  });

  it('writes a run of one placeholder once, in backticks in prose and without < > in Mermaid', () => {
    const records = 'web.app.svc → 10.0.0.9, 10.0.0.9 on worker-1';
    expect(text(records)).toBe(
      'web.app.svc → <pod IP of Deployment app/web> ×2 on <node>',
    );
    expect(text(records, 'prose')).toBe(
      'web.app.svc → `<pod IP of Deployment app/web>` ×2 on `<node>`',
    );
    expect(text(records, 'mermaid')).toBe(
      'web.app.svc → (pod IP of Deployment app/web) ×2 on (node)',
    );
  });

  it('keeps ClusterIPs and the addresses clients use', () => {
    expect(text('10.96.0.10:80 and 203.0.113.7:30080')).toBe(
      '10.96.0.10:80 and 203.0.113.7:30080',
    );
  });
});
