import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DemoPermissionPolicy } from './permissionPolicy';

describe('DemoPermissionPolicy', () => {
  it('allows reading Kubernetes objects, as the demo needs', async () => {
    const policy = new DemoPermissionPolicy();
    const decision = await policy.handle({
      permission: {
        type: 'basic',
        name: 'kubernetes.resources.read',
        attributes: { action: 'read' },
      },
    });
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
