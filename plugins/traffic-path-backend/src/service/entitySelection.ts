/*
 * Which Kubernetes objects belong to a catalog entity: the annotations of the
 * Kubernetes plugin, read as it reads them. `kubernetes-label-selector`
 * wins over `kubernetes-id`; `kubernetes-namespace` narrows to a namespace;
 * `kubernetes-cluster` to a cluster.
 */
import { Entity } from '@backstage/catalog-model';
import { KubeObject, labelSelector, SelectorError } from '@internal/plugin-traffic-path-common';
import { InputError } from '@backstage/errors';

export const ANNOTATION_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';
export const ANNOTATION_NAMESPACE = 'backstage.io/kubernetes-namespace';
export const ANNOTATION_CLUSTER = 'backstage.io/kubernetes-cluster';

export type EntitySelection = {
  selector: string;
  namespace?: string;
  cluster?: string;
  matches(obj: KubeObject): boolean;
};

/** The selection of an entity, or undefined when it has no Kubernetes annotation. */
export function entitySelection(entity: Entity): EntitySelection | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[ANNOTATION_ID];
  const selector = annotations[ANNOTATION_LABEL_SELECTOR] ?? (id ? `${ANNOTATION_ID}=${id}` : undefined);
  if (!selector) return undefined;
  let selects: (o: KubeObject) => boolean;
  try {
    selects = labelSelector(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw new InputError(`annotation ${ANNOTATION_LABEL_SELECTOR} of ${entity.metadata.name} is not a label selector: ${e.message}`);
    throw e;
  }
  const namespace = annotations[ANNOTATION_NAMESPACE];
  return {
    selector,
    namespace,
    cluster: annotations[ANNOTATION_CLUSTER],
    matches: o => selects(o) && (!namespace || o.metadata.namespace === namespace),
  };
}
