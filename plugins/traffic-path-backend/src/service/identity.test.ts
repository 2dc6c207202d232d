import { mockCredentials } from '@backstage/backend-test-utils';
import { clusterIdentity, principalKey } from './identity';

describe('clusterIdentity', () => {
  it('is the server for the cluster credentials, and a hash that does not show a client-side token', () => {
    expect(clusterIdentity(undefined)).toBe('server');
    const id = clusterIdentity('secret-token');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(id).not.toContain('secret');
    expect(clusterIdentity('secret-token')).toBe(id);
    expect(clusterIdentity('another-token')).not.toBe(id);
  });
});

describe('principalKey', () => {
  it('tells users and services apart', () => {
    expect(principalKey(mockCredentials.user('user:default/ann'))).toBe(
      'user:user:default/ann',
    );
    expect(principalKey(mockCredentials.service('plugin:catalog'))).toBe(
      'service:plugin:catalog',
    );
  });
});
