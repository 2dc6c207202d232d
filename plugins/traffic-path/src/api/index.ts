export { trafficPathApiRef } from './TrafficPathApi';
export type { TrafficPathApi, RoutesRequest } from './TrafficPathApi';
export { TrafficPathClient } from './TrafficPathClient';
