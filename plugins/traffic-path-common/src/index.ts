/**
 * Traffic Path engine: the model, the resolution of Kubernetes objects into
 * the routes a request takes, findings, client-IP verdicts and exporters.
 *
 * @packageDocumentation
 */
export * from './model';
export {
  parseDocuments,
  mergeLoadResults,
  emptyLoadResult,
  loadObjects,
} from './load/parse';
export type { LoadResult } from './load/parse';
export { resolveReport, routeHealth } from './report';
export type { ResolveOptions } from './report';
export { findingCodes, reproduceCommand } from './findings/catalog';
export type { FindingCode } from './findings/catalog';
export { parseIp, parseCidr, cidrContains } from './net/cidr';
export { hostMatches, pathMatches } from './resolve/ingress';
export { verdictFor } from './resolve/verdict';
export { kubeProxyCheckCommand } from './resolve/kubeProxyCommand';
export { toTable } from './export/table';
export { toMermaid, routeToMermaid } from './export/mermaid';
export { toMarkdown } from './export/markdown';
export {
  labelSelector,
  fieldSelector,
  selectorIsMonotonic,
  SelectorError,
} from './util/selectors';
export { applyDnsAnswers, dnsQuestions } from './dns/check';
export type { DnsAnswer } from './dns/check';
export {
  acceptHeader,
  clusterWideReads,
  controllerPodSelectors,
  listedObjects,
  namespaceReads,
  podsBySelector,
  snapshotReads,
  statusMessage,
  uniqueObjects,
} from './live/reads';
export type { ClusterRead } from './live/reads';
export type {
  ClusterErrorReason,
  ClusterRoutes,
  EntityRoutes,
  EntityRoutesSignal,
} from './api';
export { entityRoutesChannel } from './api';
export * from './exposure';
export * from './diagram';
