/**
 * Kubernetes backend module for Traffic Path: a batch-read endpoint inside
 * the Kubernetes backend, so Traffic Path reads a cluster in one request.
 *
 * @packageDocumentation
 */
export { kubernetesModuleTrafficPath as default } from './module';
