import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { InClusterEnvironment, kubeConfigOf } from './clusterConnection';

const cluster = (
  authMetadata: Record<string, string>,
  extra: Partial<ClusterDetails> = {},
): ClusterDetails => ({
  name: 'prod',
  url: 'https://prod.example.com:6443',
  authMetadata,
  caData: Buffer.from('PROD CA').toString('base64'),
  ...extra,
});

const pod = (mounted: boolean): InClusterEnvironment => ({
  hasServiceAccount: () => mounted,
  api: async () => ({
    server: 'https://10.96.0.1:443',
    caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  }),
});

const token = { type: 'bearer token' as const, token: 'sa-token' };

describe('kubeConfigOf', () => {
  it('takes the in-cluster address and mounted CA for a serviceAccount cluster without a token, as the Kubernetes backend does', async () => {
    const kc = await kubeConfigOf(
      cluster({ 'kubernetes.io/auth-provider': 'serviceAccount' }),
      token,
      pod(true),
    );
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://10.96.0.1:443',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
    expect(kc.getCurrentCluster()?.caData).toBeUndefined();
    expect(kc.getCurrentUser()?.token).toBe('sa-token');
  });

  it.each([
    [
      'a serviceAccount cluster with a configured token',
      cluster({
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'configured',
      }),
      true,
    ],
    [
      'a serviceAccount cluster outside a pod',
      cluster({ 'kubernetes.io/auth-provider': 'serviceAccount' }),
      false,
    ],
    [
      'another auth provider',
      cluster({ 'kubernetes.io/auth-provider': 'oidc' }),
      true,
    ],
  ])(
    'keeps the configured URL and CA for %s',
    async (_what, details, mounted) => {
      const kc = await kubeConfigOf(details, token, pod(mounted));
      expect(kc.getCurrentCluster()).toMatchObject({
        server: 'https://prod.example.com:6443',
        caData: details.caData,
      });
    },
  );

  it('carries a client certificate and skipTLSVerify', async () => {
    const kc = await kubeConfigOf(
      cluster(
        { 'kubernetes.io/auth-provider': 'x509' },
        { skipTLSVerify: true },
      ),
      { type: 'x509 client certificate', cert: 'CERT PEM', key: 'KEY PEM' },
      pod(false),
    );
    const options: {
      cert?: Buffer;
      key?: Buffer;
      rejectUnauthorized?: boolean;
    } = {};
    await kc.applyToHTTPSOptions(options);
    expect(options.cert?.toString()).toBe('CERT PEM');
    expect(options.key?.toString()).toBe('KEY PEM');
    expect(options.rejectUnauthorized).toBe(false);
  });
});
