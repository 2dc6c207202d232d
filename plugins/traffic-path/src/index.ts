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
} from './plugin';
export { trafficPathApiRef, TrafficPathClient } from './api';
export type { TrafficPathApi, RoutesRequest } from './api';
export { TrafficPathView } from './components/TrafficPathView';
export type { TrafficPathViewProps } from './components/TrafficPathView';
