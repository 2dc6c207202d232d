/*
 * The card kept current: it says as of when its data is, and loads the
 * routes again when the backend signals that the entity's routes changed
 * (Backstage signals), on the entity's own channel only.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  EntityRoutes,
  entityRoutesChannel,
} from '@internal/plugin-traffic-path-common';
import { TrafficPathApi, trafficPathApiRef } from '../api';
import {
  entity,
  entityRoutes,
  scenarioReport,
} from '../__testUtils__/scenarios';
import { EntityTrafficPathCard } from './EntityTrafficPath';

/** A signal's message, as the signal API types it. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A signal API whose channels the test sends on. */
function fakeSignals() {
  const subscribers = new Map<string, ((m: JsonObject) => void)[]>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const list = subscribers.get(channel) ?? [];
      list.push(onMessage as (m: JsonObject) => void);
      subscribers.set(channel, list);
      return {
        unsubscribe: () =>
          subscribers.set(
            channel,
            (subscribers.get(channel) ?? []).filter(s => s !== onMessage),
          ),
      };
    },
  };
  const send = (channel: string, message: JsonObject) =>
    act(() => (subscribers.get(channel) ?? []).forEach(s => s(message)));
  return { api, send };
}

const observedAt = '2026-12-01T20:41:07.000Z';

function answer(mode: 'watch' | 'request'): EntityRoutes {
  const routes = entityRoutes(
    'component:default/app1',
    scenarioReport(['seed-004/cluster']),
    'app1-service',
  );
  return {
    ...routes,
    clusters: routes.clusters.map(c => ({ ...c, mode, observedAt })),
  };
}

async function renderCard(api: TrafficPathApi, signals: SignalApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [trafficPathApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      <EntityProvider entity={entity('app1')}>
        <EntityTrafficPathCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('the card, kept current', () => {
  it('says as of when, and loads again on a signal of its entity only', async () => {
    let calls = 0;
    const api: TrafficPathApi = {
      getRoutes: async () => {
        calls += 1;
        return answer('watch');
      },
    };
    const signals = fakeSignals();
    await renderCard(api, signals.api);
    const asOf = await screen.findByTestId('as-of');
    expect(asOf.textContent).toBe(
      `As of ${new Date(observedAt).toLocaleTimeString()}, kept current`,
    );
    expect(calls).toBe(1);

    signals.send(entityRoutesChannel('component:default/app3'), {
      entityRef: 'component:default/app3',
      cluster: 'demo',
      observedAt,
    });
    signals.send(entityRoutesChannel('component:default/app1'), {
      entityRef: 'component:default/app1',
      cluster: 'demo',
      observedAt,
    });
    await waitFor(() => expect(calls).toBe(2));
    await new Promise(r => setTimeout(r, 100));
    expect(calls).toBe(2);
  });

  it('does not say kept current of an answer read for the request', async () => {
    const api: TrafficPathApi = { getRoutes: async () => answer('request') };
    await renderCard(api, fakeSignals().api);
    expect((await screen.findByTestId('as-of')).textContent).toBe(
      `As of ${new Date(observedAt).toLocaleTimeString()}`,
    );
  });
});
