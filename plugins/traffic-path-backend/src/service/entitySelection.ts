/*
 * Which Kubernetes objects and clusters belong to a catalog entity: the
 * annotations and service locators of the Kubernetes plugin, read as it
 * reads them. `kubernetes-label-selector` wins over `kubernetes-id`;
 * `kubernetes-namespace` narrows to a namespace.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import {
  KubeObject,
  labelSelector,
  SelectorError,
  selectorIsMonotonic,
} from '@internal/plugin-traffic-path-common';

/** The Kubernetes plugin's own names for its annotations, where it exports them. */
export const ANNOTATION_ID = KUBERNETES_ANNOTATION;
export const ANNOTATION_LABEL_SELECTOR =
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION;
/** Read by the Kubernetes plugin, which exports no constant for them. */
export const ANNOTATION_NAMESPACE = 'backstage.io/kubernetes-namespace';
export const ANNOTATION_CLUSTER = 'backstage.io/kubernetes-cluster';

export type EntitySelection = {
  selector: string;
  namespace?: string;
  /** True when a Service is the entity's: labelled for it, or selecting only its pods. */
  ownsService(service: KubeObject): boolean;
};

/** The selection of an entity, or undefined when it has no Kubernetes annotation. */
export function entitySelection(entity: Entity): EntitySelection | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[ANNOTATION_ID];
  const selector =
    annotations[ANNOTATION_LABEL_SELECTOR] ??
    (id ? `${ANNOTATION_ID}=${id}` : undefined);
  if (!selector) return undefined;
  let selects: (o: KubeObject) => boolean;
  try {
    selects = labelSelector(selector);
  } catch (e) {
    if (e instanceof SelectorError) {
      throw new InputError(
        `annotation ${ANNOTATION_LABEL_SELECTOR} of ${stringifyEntityRef(
          entity,
        )} is not a label selector: ${e.message}`,
      );
    }
    throw e;
  }
  // Teams often label only their pods. A Service whose pod selector satisfies
  // the entity's selector reaches only the entity's pods, provided the selector
  // asks only for labels to be present (a `!=` could be undone by extra labels).
  const bySelector = selectorIsMonotonic(selector);
  const namespace = annotations[ANNOTATION_NAMESPACE];
  return {
    selector,
    namespace,
    ownsService(service) {
      if (namespace && service.metadata.namespace !== namespace) return false;
      if (selects(service)) return true;
      const podSelector = (
        service.spec as { selector?: Record<string, string> } | undefined
      )?.selector;
      return (
        bySelector &&
        !!podSelector &&
        Object.keys(podSelector).length > 0 &&
        selects({ metadata: { name: '', labels: podSelector } } as KubeObject)
      );
    },
  };
}

export type ServiceLocatorMethod =
  | 'multiTenant'
  | 'singleTenant'
  | 'catalogRelation'
  | string;

/**
 * The clusters of an entity, as the Kubernetes backend's built-in service
 * locators choose them (`kubernetes.serviceLocatorMethod.type`). A custom
 * locator is not visible to other plugins: all clusters are read, as
 * multiTenant does.
 */
export function locateClusters<C extends { name: string }>(
  entity: Entity,
  clusters: C[],
  method: ServiceLocatorMethod,
): C[] {
  if (method === 'singleTenant') {
    const wanted = entity.metadata.annotations?.[ANNOTATION_CLUSTER];
    return wanted ? clusters.filter(c => c.name === wanted) : clusters;
  }
  if (method === 'catalogRelation') {
    const namespace = entity.metadata.namespace ?? 'default';
    const targets = new Set(
      (entity.relations ?? [])
        .filter(r => r.type === 'dependsOn')
        .map(r => r.targetRef),
    );
    return clusters.filter(c => targets.has(`resource:${namespace}/${c.name}`));
  }
  return clusters;
}
