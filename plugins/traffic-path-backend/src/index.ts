/**
 * Traffic Path backend plugin: the routes of a catalog entity, read from its
 * clusters through Backstage's Kubernetes integration.
 *
 * @packageDocumentation
 */
export { trafficPathPlugin as default } from './plugin';
