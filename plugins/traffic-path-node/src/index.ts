/**
 * Traffic Path's Kubernetes reader for Node.js: list reads paged with
 * `limit` / `continue`, bodies read up to a bound, one read policy. Used by
 * the Kubernetes backend module, the backend's proxy path and the CLI.
 *
 * @packageDocumentation
 */
export { ReadError } from './readError';
export type { ReadOutcome, ReadProblem } from './readError';
export { pageOfBody, pageOfText, pagePath, readList } from './listReader';
export type { GetPage, ListReadOptions, Page, PageAnswer } from './listReader';
export {
  apiServerOfKubeConfig,
  boundedText,
  fetchPages,
  httpsPages,
} from './transport';
export type { ApiServer } from './transport';
export { applyReadPolicy, readFailure } from './readPolicy';
export type { ReadBatch, ReadFailure } from './readPolicy';
export { readLimitsOf, DEFAULT_READ_LIMITS } from './readLimits';
export type { ReadLimits } from './readLimits';
export {
  CAPABILITIES_ROUTE,
  LISTS_ROUTE,
  LISTS_VERSION,
  MAX_PAGE_SIZE,
  WATCH_ROUTE,
} from './listsProtocol';
export type { ListsCapability, ListsRead, ListsResult } from './listsProtocol';
export {
  eventOfLine,
  httpsWatch,
  openWatchStream,
  routeWatch,
  watchEventsOf,
  watchPath,
} from './watchStream';
export type {
  OpenWatch,
  OpenWatchStreamOptions,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from './watchStream';
export { backoffDelay, objectKey, startInformer } from './informer';
export type {
  Backoff,
  Informer,
  InformerOptions,
  InformerStatus,
  ListOnce,
} from './informer';
export { trimForModel } from './intake';
export { startClusterWatch } from './clusterWatch';
export type {
  ClusterVersion,
  ClusterWatch,
  ClusterWatchOptions,
  ClusterWatchState,
} from './clusterWatch';
