import { withDefaultNamespace } from './namespaces';
import { KubeObject } from '../model';

const service: KubeObject = { kind: 'Service', metadata: { name: 'web' } };
const node: KubeObject = { kind: 'Node', metadata: { name: 'worker-a' } };
const placed: KubeObject = {
  kind: 'Service',
  metadata: { name: 'api', namespace: 'shop' },
};

describe('withDefaultNamespace', () => {
  it('puts objects without a namespace in default, or in the one given', () => {
    expect(withDefaultNamespace([service])[0].metadata.namespace).toBe(
      'default',
    );
    expect(withDefaultNamespace([service], 'shop')[0].metadata.namespace).toBe(
      'shop',
    );
    // The input is not changed.
    expect(service.metadata.namespace).toBeUndefined();
  });

  it('leaves cluster-scoped objects and placed ones as they are', () => {
    const objects = [node, placed];
    expect(withDefaultNamespace(objects, 'shop')).toBe(objects);
    const [n, p, s] = withDefaultNamespace([node, placed, service], 'shop');
    expect([n, p]).toEqual([node, placed]);
    expect(n).toBe(node);
    expect(s.metadata).toEqual({ name: 'web', namespace: 'shop' });
  });
});
