export { trafficPathApiRef } from './TrafficPathApi';
export type { TrafficPathApi, RoutesRequest } from './TrafficPathApi';
export { TrafficPathClient } from './TrafficPathClient';
export { exposureApiRef } from './ExposureApi';
export type {
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
} from './ExposureApi';
export { ExposureClient, exposureSearchParams } from './ExposureClient';
