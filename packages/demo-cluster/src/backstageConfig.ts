/*
 * The `kubernetes` section of a Backstage app-config that points the
 * Kubernetes backend at demo clusters: for tests and benchmarks that start
 * a backend against them.
 */

export type DemoClusterEntry = {
  name: string;
  url: string;
  /** The demo cluster's self-signed certificate (PEM); without it TLS is not verified. */
  certificate?: string;
  /** Server-side token (authProvider serviceAccount). */
  token?: string;
  /** A client-side provider instead (e.g. oidc); the token then comes with each request. */
  authProvider?: string;
  oidcTokenProvider?: string;
};

export function kubernetesConfigFor(clusters: DemoClusterEntry[]) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: clusters.map(c => ({
          name: c.name,
          url: c.url,
          authProvider: c.authProvider ?? 'serviceAccount',
          ...(c.authProvider ? {} : { serviceAccountToken: c.token ?? '' }),
          ...(c.oidcTokenProvider
            ? { oidcTokenProvider: c.oidcTokenProvider }
            : {}),
          ...(c.certificate
            ? { caData: Buffer.from(c.certificate).toString('base64') }
            : { skipTLSVerify: true }),
          skipMetricsLookup: true,
        })),
      },
    ],
  };
}
