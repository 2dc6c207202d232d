/*
 * Indirect ownership for the exposure API (`ownership=indirect`): a group
 * owns, besides its own components, those of its child groups, down the
 * whole tree. The tree is walked through the catalog with the user's
 * credentials, so a group the user may not read is not entered (nor its
 * children); the entities found are checked for the user as always.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** The part of the catalog service the walk needs (catalogServiceRef's getEntitiesByRefs). */
export type GroupCatalog = {
  getEntitiesByRefs(
    request: { entityRefs: string[]; fields?: string[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Array<Entity | undefined> }>;
};

/** Deeper than any real org chart; the walk stops there if a cycle got through. */
const MAX_DEPTH = 20;

/** Refs per catalog request. */
const BATCH = 500;

/** An entity ref in the lower case the stored summaries use. */
function normal(ref: string, defaultNamespace = 'default'): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'group', defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined; // a malformed child in spec.children: not a group we can follow
  }
}

/**
 * A group's children: the catalog's parentOf relations, and spec.children
 * for a catalog whose processors have not (yet) emitted the relations.
 */
export function childGroupsOf(group: Entity): string[] {
  const children = new Set<string>();
  for (const relation of group.relations ?? []) {
    if (relation.type !== RELATION_PARENT_OF) continue;
    const child = normal(relation.targetRef);
    if (child) children.add(child);
  }
  const listed = (group.spec as { children?: unknown } | undefined)?.children;
  if (Array.isArray(listed)) {
    for (const ref of listed) {
      if (typeof ref !== 'string') continue;
      // spec.children names groups of the parent's namespace unless it says otherwise.
      const child = normal(ref, group.metadata.namespace ?? 'default');
      if (child) children.add(child);
    }
  }
  return [...children];
}

/**
 * The owners and every group below them that the user may read, as
 * lower-case refs, the given ones first. The given owners stay as given
 * (a user, or a group that is gone, simply owns nothing more); a child the
 * catalog does not return for this user is left out with its subtree.
 */
export async function withChildGroups(
  catalog: GroupCatalog,
  owners: string[],
  credentials: BackstageCredentials,
): Promise<string[]> {
  const given = owners.map(o => normal(o) ?? o.toLocaleLowerCase('en-US'));
  const result = new Set(given);
  // Asked for already (found or not): a cycle or a diamond is walked once.
  const asked = new Set<string>();
  let level = [...result].filter(ref => ref.startsWith('group:'));
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    level.forEach(ref => asked.add(ref));
    const next: string[] = [];
    for (let i = 0; i < level.length; i += BATCH) {
      const batch = level.slice(i, i + BATCH);
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: batch,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'spec.children',
            'relations',
          ],
        },
        { credentials },
      );
      items.forEach((group, j) => {
        if (!group) return; // gone, or hidden from this user
        result.add(batch[j]);
        for (const child of childGroupsOf(group)) {
          if (!asked.has(child)) next.push(child);
        }
      });
    }
    level = [...new Set(next)];
  }
  return [...result];
}
