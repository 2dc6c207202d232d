/*
 * Who a cached answer belongs to, in one place: the backend's own cluster
 * credentials, or a client-side token (another identity, so cache entries
 * of its own, keyed by a hash and never by the token); and the principal a
 * cluster list was made for.
 */
import { createHash } from 'node:crypto';
import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** `server` for the cluster credentials of the Kubernetes backend, else a hash of the client-side token. */
export function clusterIdentity(clientToken: string | undefined): string {
  return clientToken
    ? createHash('sha256').update(clientToken).digest('hex').slice(0, 16)
    : 'server';
}

/** The principal of a request, for what may depend on who asks (catalog-based cluster locators). */
export function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}
