import { KubeObject } from '../model';
import { describeLoadBalancer } from './loadBalancer';

function lb(
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
  addresses: { ip?: string; hostname?: string }[] = [{ ip: '34.1.2.3' }],
): KubeObject {
  return {
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', annotations },
    spec: {
      type: 'LoadBalancer',
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }],
      ...spec,
    },
    status: { loadBalancer: { ingress: addresses } },
  };
}

describe('describeLoadBalancer', () => {
  it('reads AKS internal LBs and their NSG allow list with the source ranges', () => {
    const info = describeLoadBalancer(
      lb(
        {
          'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
          'service.beta.kubernetes.io/azure-allowed-ip-ranges':
            '10.1.0.0/16, 10.2.0.0/16',
        },
        {},
        [{ ip: '10.240.0.7' }],
      ),
    );
    expect(info).toMatchObject({ provider: 'azure', exposure: 'internal' });
    expect(info.restrictions).toEqual([
      expect.objectContaining({
        mode: 'allow',
        cidrs: ['10.1.0.0/16', '10.2.0.0/16'],
        visible: true,
      }),
    ]);
  });

  it('reads GKE internal LBs, old and new annotation', () => {
    expect(
      describeLoadBalancer(
        lb({ 'networking.gke.io/load-balancer-type': 'Internal' }),
      ).exposure,
    ).toBe('internal');
    expect(
      describeLoadBalancer(
        lb({ 'cloud.google.com/load-balancer-type': 'Internal' }),
      ).exposure,
    ).toBe('internal');
  });

  it('knows the AWS defaults: the in-tree controller is internet-facing, the AWS Load Balancer Controller internal', () => {
    expect(
      describeLoadBalancer(
        lb(
          {
            'service.beta.kubernetes.io/aws-load-balancer-backend-protocol':
              'tcp',
          },
          {},
          [{ hostname: 'a1b2.elb.amazonaws.com' }],
        ),
      ).exposure,
    ).toBe('public');
    expect(
      describeLoadBalancer(
        lb(
          { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
          {},
          [{ hostname: 'internal-k8s-x.elb.amazonaws.com' }],
        ),
      ).exposure,
    ).toBe('internal');
    expect(
      describeLoadBalancer(
        lb({
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-scheme':
            'internet-facing',
        }),
      ).exposure,
    ).toBe('public');
  });

  it('ignores AWS source ranges when security groups are set', () => {
    const info = describeLoadBalancer(
      lb(
        {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-security-groups':
            'sg-1',
        },
        { loadBalancerSourceRanges: ['198.51.100.0/24'] },
      ),
    );
    expect(info.restrictions[0]).toMatchObject({
      ignored: true,
      ignoredReason: expect.stringContaining(
        'aws-load-balancer-security-groups',
      ),
    });
  });

  it('reads the deprecated source-ranges annotation, and lets the spec field win', () => {
    const annotation = {
      'service.beta.kubernetes.io/load-balancer-source-ranges':
        '203.0.113.0/24,not-a-cidr',
    };
    const fromAnnotation = describeLoadBalancer(lb(annotation));
    expect(fromAnnotation.restrictions[0].cidrs).toEqual(['203.0.113.0/24']);
    expect(fromAnnotation.invalidRanges).toEqual([
      {
        field:
          'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]',
        value: 'not-a-cidr',
      },
    ]);
    expect(
      describeLoadBalancer(
        lb(annotation, { loadBalancerSourceRanges: ['198.51.100.0/24'] }),
      ).restrictions[0].cidrs,
    ).toEqual(['198.51.100.0/24']);
  });

  it('reads the older alicloud- prefix and a blacklist ACL', () => {
    const info = describeLoadBalancer(
      lb(
        {
          'service.beta.kubernetes.io/alicloud-loadbalancer-address-type':
            'intranet',
          'service.beta.kubernetes.io/alicloud-loadbalancer-acl-status': 'on',
          'service.beta.kubernetes.io/alicloud-loadbalancer-acl-id': 'acl-9',
          'service.beta.kubernetes.io/alicloud-loadbalancer-acl-type': 'black',
        },
        {},
        [{ ip: '10.0.0.9' }],
      ),
    );
    expect(info).toMatchObject({
      provider: 'alibaba-cloud',
      exposure: 'internal',
    });
    expect(info.restrictions).toEqual([
      expect.objectContaining({
        mode: 'deny',
        visible: false,
        description: 'Alibaba Cloud ACL acl-9 (blacklist)',
      }),
    ]);
  });

  it('says pending while the LB has no address', () => {
    expect(describeLoadBalancer(lb({}, {}, [])).pending).toBe(true);
  });
});
