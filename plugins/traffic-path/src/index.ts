/**
 * Traffic Path frontend plugin: the whole way a request takes to a
 * service's containers, drawn on the entity page.
 *
 * @packageDocumentation
 */
export {
  trafficPathPlugin,
  EntityTrafficPathCard,
  EntityTrafficPathContent,
  isTrafficPathAvailable,
  TrafficPathReviewPage,
  EntityTrafficPathExposureCard,
  EntityTrafficPathChangesCard,
} from './plugin';
export { isExposureReviewAvailable } from './components/review/EntityExposureCards';
export { ExposureReview } from './components/review/ExposureReview';
export type {
  ExposureReviewProps,
  ReviewScope,
} from './components/review/ExposureReview';
export {
  trafficPathApiRef,
  TrafficPathClient,
  exposureApiRef,
  ExposureClient,
} from './api';
export type {
  TrafficPathApi,
  RoutesRequest,
  ExposureAnswer,
  ExposureApi,
  ExposureChangeItem,
  ExposureChangesAnswer,
  ExposureChangesQuery,
  ExposureItem,
  ExposureItemEntry,
  ExposureQuery,
  ExposureReport,
  ExposureReportFormat,
} from './api';
export { TrafficPathView } from './components/TrafficPathView';
export type { TrafficPathViewProps } from './components/TrafficPathView';
