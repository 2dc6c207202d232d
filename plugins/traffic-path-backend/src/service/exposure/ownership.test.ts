import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { childGroupsOf, GroupCatalog, withChildGroups } from './ownership';

const group = (
  name: string,
  spec: { children?: string[]; parent?: string } = {},
  relations: Entity['relations'] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...spec },
  relations,
});

/*
 * engineering ─┬─ platform-team ── sre (a relation only, as the catalog emits it)
 *              ├─ shop-team ─── payments ── engineering (a cycle)
 *              └─ secret-team ── secret-child (hidden from the user)
 */
const org = [
  group('engineering', {
    children: ['platform-team', 'group:default/shop-team', 'secret-team'],
  }),
  group('platform-team', { parent: 'engineering' }, [
    { type: 'parentOf', targetRef: 'group:default/sre' },
    { type: 'childOf', targetRef: 'group:default/engineering' },
  ]),
  group('sre', { parent: 'platform-team' }),
  group('shop-team', { children: ['payments'] }),
  group('payments', { children: ['engineering'] }),
  group('secret-team', { children: ['secret-child'] }),
  group('secret-child'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: {},
  },
];

const alice = mockCredentials.user('user:default/alice');
const admin = mockCredentials.user('user:default/admin');

/** The catalog as a user sees it: alice may not read secret-team (the permission framework's filter). */
function catalogFor(entities: Entity[]): GroupCatalog & { asked: number } {
  const catalog = catalogServiceMock({ entities });
  const wrapper = {
    asked: 0,
    async getEntitiesByRefs(
      request: { entityRefs: string[]; fields?: string[] },
      options: { credentials: typeof alice },
    ) {
      wrapper.asked++;
      const answer = await catalog.getEntitiesByRefs(request, options);
      const principal = (
        options.credentials.principal as { userEntityRef?: string }
      ).userEntityRef;
      return {
        items: answer.items.map(e =>
          e &&
          principal === 'user:default/alice' &&
          stringifyEntityRef(e) === 'group:default/secret-team'
            ? undefined
            : e,
        ),
      };
    },
  };
  return wrapper;
}

describe('childGroupsOf', () => {
  it('reads the parentOf relations and spec.children, in the group’s namespace', () => {
    expect(
      childGroupsOf({
        ...group('ops', { children: ['night-shift', 'other/day-shift'] }, [
          { type: 'parentOf', targetRef: 'group:default/SRE' },
          { type: 'ownerOf', targetRef: 'component:default/app1' },
        ]),
        metadata: { name: 'ops', namespace: 'infra' },
      }).sort(),
    ).toEqual([
      'group:default/sre',
      'group:infra/night-shift',
      'group:other/day-shift',
    ]);
  });

  it('skips malformed children instead of failing the walk', () => {
    expect(
      childGroupsOf(
        group('x', { children: ['', 'group:', 42 as unknown as string] }),
      ),
    ).toEqual([]);
  });
});

describe('withChildGroups', () => {
  it('walks the whole tree for a reader who may see every group, once through a cycle', async () => {
    const catalog = catalogFor(org);
    const groups = await withChildGroups(
      catalog,
      ['group:default/engineering'],
      admin,
    );
    expect(groups[0]).toBe('group:default/engineering');
    expect([...groups].sort()).toEqual([
      'group:default/engineering',
      'group:default/payments',
      'group:default/platform-team',
      'group:default/secret-child',
      'group:default/secret-team',
      'group:default/shop-team',
      'group:default/sre',
    ]);
    // One catalog request per level of the tree, not per group.
    expect(catalog.asked).toBe(3);
  });

  it('leaves out a group the user may not read, and what is below it', async () => {
    const groups = await withChildGroups(
      catalogFor(org),
      ['engineering'],
      alice,
    );
    expect(groups).toContain('group:default/sre');
    expect(groups).not.toContain('group:default/secret-team');
    expect(groups).not.toContain('group:default/secret-child');
  });

  it('keeps owners that are not groups, or no longer exist, as given', async () => {
    const groups = await withChildGroups(
      catalogFor(org),
      ['user:default/jane', 'group:default/Gone-Team', 'shop-team'],
      alice,
    );
    expect(groups).toEqual([
      'user:default/jane',
      'group:default/gone-team',
      'group:default/shop-team',
      'group:default/payments',
      'group:default/engineering',
      'group:default/platform-team',
      'group:default/sre',
    ]);
  });

  it('stops at a depth no org chart reaches', async () => {
    const chain = Array.from({ length: 40 }, (_, i) =>
      group(`level-${i}`, { children: [`level-${i + 1}`] }),
    );
    const groups = await withChildGroups(catalogFor(chain), ['level-0'], admin);
    expect(groups).toHaveLength(21);
    expect(groups).not.toContain('group:default/level-21');
  });
});
