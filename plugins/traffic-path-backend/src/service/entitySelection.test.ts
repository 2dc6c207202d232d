import { Entity } from '@backstage/catalog-model';
import { entitySelection, locateClusters } from './entitySelection';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: 'default', annotations },
});

describe('entitySelection', () => {
  it('selects by the kubernetes-id annotation, as the Kubernetes plugin does', () => {
    expect(
      entitySelection(entity({ 'backstage.io/kubernetes-id': 'web' })),
    ).toMatchObject({ selector: 'backstage.io/kubernetes-id=web' });
  });

  it('takes the label selector over the id, narrowed to the namespace annotation', () => {
    expect(
      entitySelection(
        entity({
          'backstage.io/kubernetes-id': 'web',
          'backstage.io/kubernetes-label-selector': 'app=web,tier!=db',
          'backstage.io/kubernetes-namespace': 'shop',
        }),
      ),
    ).toMatchObject({ selector: 'app=web,tier!=db', namespace: 'shop' });
  });

  it('has none for an entity without a Kubernetes annotation', () => {
    expect(
      entitySelection(entity({ 'backstage.io/kubernetes-namespace': 'shop' })),
    ).toBeUndefined();
  });

  it('names the annotation and the entity when the selector is none', () => {
    expect(() =>
      entitySelection(
        entity({ 'backstage.io/kubernetes-label-selector': 'app in (web' }),
      ),
    ).toThrow(
      /^annotation backstage.io\/kubernetes-label-selector of component:default\/web is not a label selector: /,
    );
  });
});

describe('locateClusters', () => {
  const clusters = [{ name: 'prod' }, { name: 'staging' }];

  it('takes the kubernetes-cluster annotation for singleTenant', () => {
    expect(
      locateClusters(
        entity({ 'backstage.io/kubernetes-cluster': 'prod' }),
        clusters,
        'singleTenant',
      ),
    ).toEqual([{ name: 'prod' }]);
  });

  it('reads every cluster for multiTenant', () => {
    expect(locateClusters(entity({}), clusters, 'multiTenant')).toEqual(
      clusters,
    );
  });
});
