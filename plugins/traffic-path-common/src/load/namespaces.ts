/*
 * Objects without a namespace, as `helm template` and kustomize write them,
 * live in the namespace they are applied to: `default`, or the one the user
 * names. Giving them that namespace once, before indexing, keeps every
 * message, id and kubectl command free of an "undefined" namespace.
 */
import { KubeObject } from '../model';

/** Kinds that have no namespace (the built-in ones and common add-ons). */
const clusterScoped = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(kind: string): boolean {
  return clusterScoped.has(kind);
}

/**
 * The objects with the namespace they would be applied to. Objects that have
 * one (or need none) are returned as they are, the others as copies.
 */
export function withDefaultNamespace(
  objects: KubeObject[],
  namespace = 'default',
): KubeObject[] {
  let out: KubeObject[] | undefined;
  objects.forEach((obj, i) => {
    if (obj.metadata.namespace || isClusterScoped(obj.kind)) return;
    out ??= objects.slice();
    out[i] = { ...obj, metadata: { ...obj.metadata, namespace } };
  });
  return out ?? objects;
}
