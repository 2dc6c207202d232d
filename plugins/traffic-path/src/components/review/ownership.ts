/*
 * Indirect ownership: a group owns, besides its own components, those of
 * its child groups, down the whole tree. The backend matches spec.owner
 * only, so the frontend walks the tree through the catalog (the parentOf
 * relations the catalog keeps) and passes every group as an owner.
 */
import {
  Entity,
  parseEntityRef,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** The part of the catalog API the walk needs (catalogApiRef's getEntitiesByRefs). */
export type GroupLookup = {
  getEntitiesByRefs(request: {
    entityRefs: string[];
    fields?: string[];
  }): Promise<{ items: Array<Entity | undefined> }>;
};

/** Deep enough for any real org chart, and a stop for a cycle the catalog let through. */
const MAX_DEPTH = 20;

/** The groups and all their descendants, as entity refs, the given ones first. */
export async function withChildGroups(
  catalogApi: GroupLookup,
  groupRefs: string[],
): Promise<string[]> {
  const normal = (ref: string) =>
    stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' }));
  const seen = new Set(groupRefs.map(normal));
  let level = [...seen];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: level,
      fields: ['relations'],
    });
    const next: string[] = [];
    for (const group of items) {
      for (const relation of group?.relations ?? []) {
        if (relation.type !== RELATION_PARENT_OF) continue;
        const child = normal(relation.targetRef);
        if (!seen.has(child)) {
          seen.add(child);
          next.push(child);
        }
      }
    }
    level = next;
  }
  return [...seen];
}
