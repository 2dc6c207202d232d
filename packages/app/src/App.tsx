import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
// Signals: the Traffic Path card refetches when the backend says its routes changed.
import signalsPlugin from '@backstage/plugin-signals/alpha';
import trafficPathPlugin from '@internal/plugin-traffic-path/alpha';
import { navModule } from './modules/nav';

/** What the portal is made of; the test renders the same. */
export const features = [
  catalogPlugin,
  kubernetesPlugin,
  orgPlugin,
  signalsPlugin,
  trafficPathPlugin,
  navModule,
];

export default createApp({ features });
