/**
 * The demo cluster: a read-only Kubernetes API server over scenario files.
 *
 * @packageDocumentation
 */
export { startDemoCluster } from './server';
export type {
  DemoCluster,
  DemoClusterOptions,
  Fault,
  RequestRecord,
} from './server';
export { kubernetesConfigFor } from './backstageConfig';
export type { DemoClusterEntry } from './backstageConfig';
