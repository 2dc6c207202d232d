/*
 * The frontend's view of the Traffic Path backend.
 */
import { createApiRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { EntityRoutes } from '@internal/plugin-traffic-path-common';

export type RoutesRequest = {
  entity: Entity;
  /** Each route then carries a verdict for this client address. */
  clientIp?: string;
  /** Read the clusters again instead of taking the backend's cached answer. */
  refresh?: boolean;
};

export interface TrafficPathApi {
  getRoutes(request: RoutesRequest): Promise<EntityRoutes>;
}

export const trafficPathApiRef = createApiRef<TrafficPathApi>({
  id: 'plugin.traffic-path.service',
});
