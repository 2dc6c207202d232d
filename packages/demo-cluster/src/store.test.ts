/*
 * The store's versions and changes: one resourceVersion per change, a
 * bounded history, and replace() leaving the store as a fresh start from
 * the same objects would.
 */
import { join, resolve } from 'node:path';
import { loadInputs } from '@internal/traffic-path-cli';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { Store } from './store';

const root = resolve(__dirname, '../../..');
const seed004 = () =>
  loadInputs([join(root, 'test/scenarios/seed-004/cluster')]).objects;

/** Everything the store serves, without resourceVersions. */
function contents(store: Store) {
  const out: Record<string, unknown> = {};
  for (const [key, c] of store.collections)
    for (const [name, o] of c.objects)
      out[`${key} ${name}`] = {
        ...o,
        metadata: { ...o.metadata, resourceVersion: undefined },
      };
  return out;
}

describe('Store', () => {
  it('gives every object its own resourceVersion and the list the latest', () => {
    const store = new Store(seed004());
    const versions = [...store.collections.values()].flatMap(c =>
      [...c.objects.values()].map(o => Number(o.metadata.resourceVersion)),
    );
    expect(new Set(versions).size).toBe(versions.length);
    expect(Math.max(...versions)).toBe(store.currentVersion);
  });

  it('replace() emits only the differences and ends as a fresh start would', () => {
    const before = seed004();
    const store = new Store(before);
    const after = before
      .filter(
        o => !(o.kind === 'Service' && o.metadata.name === 'app3-service'),
      )
      .map(o =>
        o.metadata.name === 'app1-7d9c5b8f6-k2x8p'
          ? { ...o, status: { ...(o.status as object), phase: 'Failed' } }
          : o,
      );
    after.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop' },
      data: { a: 'b' },
    } as KubeObject);
    const changes = store.replace(after);
    expect(
      changes.map(
        c =>
          `${c.type} ${c.object.kind} ${c.object.metadata.namespace ?? ''}/${
            c.object.metadata.name
          }`,
      ),
    ).toEqual([
      'DELETED Service app/app3-service',
      'MODIFIED Pod app/app1-7d9c5b8f6-k2x8p',
      'ADDED ConfigMap shop/settings',
      'ADDED Namespace /shop',
    ]);
    expect(contents(store)).toEqual(contents(new Store(after)));
    // And back: the namespace nobody uses any more goes too.
    const back = store.replace(before);
    expect(back.map(c => `${c.type} ${c.object.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'DELETED settings',
        'DELETED shop',
        'ADDED app3-service',
        'MODIFIED app1-7d9c5b8f6-k2x8p',
      ]),
    );
    expect(back).toHaveLength(4);
    expect(contents(store)).toEqual(contents(new Store(before)));
  });

  it('keeps the last changes for watches: older versions are expired, newer ones the future', () => {
    const store = new Store(seed004(), { historySize: 3 });
    const start = store.currentVersion;
    expect(store.changesSince(start)).toEqual([]);
    const pods = [...store.collections.get('/v1/pods')!.objects.values()];
    for (const p of pods.slice(0, 5))
      store.apply([{ ...p, metadata: { ...p.metadata, labels: { x: 'y' } } }]);
    expect(store.currentVersion).toBe(start + 5);
    expect(store.changesSince(start + 1)).toBe('expired');
    const kept = store.changesSince(start + 2);
    expect(Array.isArray(kept) && kept.map(c => c.resourceVersion)).toEqual([
      start + 3,
      start + 4,
      start + 5,
    ]);
    expect(store.changesSince(start + 6)).toBe('future');
    expect(store.oldestVersion).toBe(start + 2);
  });

  it('names what it cannot remove or apply', () => {
    const store = new Store(seed004());
    expect(() =>
      store.remove([{ kind: 'Service', namespace: 'app', name: 'nope' }]),
    ).toThrow('remove: services app/nope does not exist');
    expect(() =>
      store.apply([{ kind: 'Pod', metadata: {} } as unknown as KubeObject]),
    ).toThrow('apply: every object needs kind and metadata.name');
  });

  it('puts a new namespace before the first object in it', () => {
    const store = new Store([]);
    const changes = store.apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { ports: [{ port: 80 }] },
      } as KubeObject,
    ]);
    expect(changes.map(c => `${c.type} ${c.object.kind}`)).toEqual([
      'ADDED Namespace',
      'ADDED Service',
    ]);
    expect(changes[1].object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });
});
