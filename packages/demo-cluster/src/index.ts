/**
 * The demo cluster: a read-only Kubernetes API server over scenario files,
 * with watches that follow changes to them.
 *
 * @packageDocumentation
 */
export {
  demoClusterCertificate,
  startDemoCluster,
  REQUEST_COUNTS_PATH,
} from './server';
export type {
  ChangeSummary,
  DemoCluster,
  DemoClusterCertificate,
  DemoClusterOptions,
  Fault,
  RequestCounts,
  RequestRecord,
} from './server';
export type { ObjectReference } from './store';
export { ScenarioFiles, reloadOnChange } from './files';
export { startDemoClusterProcess } from './process';
export type { DemoClusterProcess, DemoClusterProcessOptions } from './process';
export type { Reloader, ScenarioRead } from './files';
export { kubernetesConfigFor } from './backstageConfig';
export type { DemoClusterEntry } from './backstageConfig';
