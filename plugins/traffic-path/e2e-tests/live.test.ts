/*
 * The card kept current in the portal: app2's Traffic Path tab is open
 * while the embedded demo cluster changes (through its control endpoints,
 * as `kubectl` would change a real cluster) — its pod turns not ready, an
 * Ingress is added, a NetworkPolicy is added, its Service is deleted — and
 * each change reaches the card by itself: the backend's watch sees it, a
 * signal tells the card, the card asks again. No reload, no click on
 * Refresh, "As of" the answer's oldest data, and the demo cluster counts
 * no new list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APIRequestContext,
  expect,
  Page,
  request,
  test,
} from '@playwright/test';
import { parse } from 'yaml';

const DEMO_CLUSTER = 'https://127.0.0.1:7010';
const TOKEN = process.env.DEMO_CLUSTER_TOKEN ?? 'traffic-path-demo';

type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** app2's objects as the demo cluster serves them (seed 004). */
function seedObject(kind: string, name: string): KubeObject {
  const file = join(
    __dirname,
    '../../../test/scenarios/seed-004/cluster/app.yaml',
  );
  const list = parse(readFileSync(file, 'utf8')) as { items: KubeObject[] };
  const found = list.items.find(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (!found) throw new Error(`seed 004 has no ${kind} ${name}`);
  return JSON.parse(JSON.stringify(found));
}

const pod = seedObject('Pod', 'app2-5b6f7c8d9-q3w5e');
const slice = seedObject('EndpointSlice', 'app2-service-x7k2p');
const service = seedObject('Service', 'app2-service');

const betaIngress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'app2-beta',
    namespace: 'app',
    labels: { 'backstage.io/kubernetes-id': 'app2' },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['beta.app2.qas.abc.com'], secretName: 'qas-abc-com-tls' }],
    rules: [
      {
        host: 'beta.app2.qas.abc.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: {
                service: { name: 'app2-service', port: { number: 8080 } },
              },
            },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '47.100.21.10' }] } },
};

/** Only the monitoring namespace may reach app2: the ingress controller is refused. */
const monitoringOnly: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'app2-monitoring-only', namespace: 'app' },
  spec: {
    podSelector: { matchLabels: { app: 'app2' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
            },
          },
        ],
      },
    ],
  },
};

const ref = (o: KubeObject) => ({
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});

async function control(api: APIRequestContext, what: string, body: unknown) {
  const res = await api.post(`/demo-cluster/${what}`, { data: body });
  if (res.status() === 403)
    throw new Error(
      'the demo cluster takes no changes: `yarn dev` must start it with --control-endpoints true',
    );
  expect(res.status(), `${what}: ${await res.text()}`).toBe(200);
}

/** Lists the demo cluster has answered so far (every kind). */
async function lists(api: APIRequestContext): Promise<number> {
  const res = await api.get('/demo-cluster/requests');
  expect(res.status()).toBe(200);
  return ((await res.json()).byVerb.list as number | undefined) ?? 0;
}

const asOf = (page: Page) => page.getByTestId('as-of');
const node = (page: Page, kind: string) =>
  page.locator(`.tp-node[data-kind="${kind}"]`).first();

test('app2’s card follows the cluster’s changes through signals, without a new list', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const demo = await request.newContext({
    baseURL: DEMO_CLUSTER,
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  // The routes the card asks for: one on opening, then one per signal.
  const routeRequests: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/api/traffic-path/v1/routes'))
      routeRequests.push(r.url());
  });
  // When each cluster's data of the answers was observed (the card's "As of" is the oldest).
  const observed: Array<Record<string, number>> = [];
  page.on('response', async r => {
    if (!r.url().includes('/api/traffic-path/v1/routes') || !r.ok()) return;
    const body = (await r.json().catch(() => undefined)) as
      | { clusters?: Array<{ cluster: string; observedAt?: string }> }
      | undefined;
    observed.push(
      Object.fromEntries(
        (body?.clusters ?? []).map(c => [
          c.cluster,
          Date.parse(c.observedAt ?? ''),
        ]),
      ),
    );
  });

  // Signed in as the guest (asked again while the backend is still starting).
  await expect(async () => {
    await page.goto('/');
    await page
      .getByRole('button', { name: 'Enter' })
      .click({ timeout: 10_000 });
    await expect(
      page.getByRole('link', { name: 'app2', exact: true }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  // The live model of the demo cluster is ready once the card says it keeps current.
  await expect(async () => {
    await page.goto('/catalog/default/component/app2/traffic-path');
    await expect(asOf(page)).toContainText('kept current', { timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await expect(page.getByTestId('route-health').first()).toHaveText(
    '✓ healthy',
  );
  // Set on this page: a reload would lose it.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  await page.screenshot({
    path: 'test-results/screenshots/live-app2-before.png',
    fullPage: true,
  });

  /** Applies a change, then waits for the card to show it by itself. */
  async function change(
    what: string,
    act: () => Promise<void>,
    shown: () => Promise<void>,
  ) {
    await test.step(what, async () => {
      const asked = routeRequests.length;
      const answers = observed.length;
      const demoBefore = observed.at(-1)!.demo;
      const listed = await lists(demo);
      await act();
      await shown();
      // The card was drawn again from a new answer, whose data is no older than before. (A cluster's
      // observedAt is when its oldest watch was last confirmed, by an event or a bookmark: an event of
      // one kind alone need not move it.)
      expect(observed.length).toBeGreaterThan(answers);
      expect(observed.at(-1)!.demo).toBeGreaterThanOrEqual(demoBefore);
      const oldest = Math.min(...Object.values(observed.at(-1)!));
      const expected = await page.evaluate(
        t => `As of ${new Date(t).toLocaleTimeString()}, kept current`,
        oldest,
      );
      await expect(asOf(page)).toHaveText(expected);
      expect(routeRequests.length).toBeGreaterThan(asked);
      expect(routeRequests.slice(asked).join(' ')).not.toContain('refresh');
      expect(
        await page.evaluate(
          () => (window as unknown as { notReloaded?: boolean }).notReloaded,
        ),
      ).toBe(true);
      expect(await lists(demo), 'lists of the demo cluster').toBe(listed);
    });
  }

  try {
    await change(
      'the pod turns not ready',
      async () => {
        const notReady = JSON.parse(JSON.stringify(pod));
        notReady.status.conditions = [{ type: 'Ready', status: 'False' }];
        const notServing = JSON.parse(JSON.stringify(slice));
        notServing.endpoints[0].conditions = {
          ready: false,
          serving: false,
          terminating: false,
        };
        await control(demo, 'apply', [notReady, notServing]);
      },
      async () => {
        await expect(page.getByTestId('route-health').first()).not.toHaveText(
          '✓ healthy',
        );
        await expect(node(page, 'pod')).toHaveAttribute(
          'aria-label',
          /broken\. 0\/1 pod ready/,
        );
      },
    );
    await page.screenshot({
      path: 'test-results/screenshots/live-app2-pod-not-ready.png',
      fullPage: true,
    });

    await change(
      'an Ingress is added',
      () => control(demo, 'apply', [betaIngress]),
      // The new host is one more route in the card's route picker.
      () =>
        expect(async () => {
          await page.getByRole('combobox', { name: 'Route' }).click();
          try {
            await expect(
              page.getByRole('option', { name: /beta\.app2\.qas\.abc\.com/ }),
            ).toBeVisible({ timeout: 2_000 });
          } finally {
            await page.keyboard.press('Escape');
          }
        }).toPass({ timeout: 30_000 }),
    );

    await change(
      'a NetworkPolicy is added',
      () => control(demo, 'apply', [monitoringOnly]),
      () =>
        expect(node(page, 'network-policy')).toHaveAttribute(
          'aria-label',
          /app2-monitoring-only|block/i,
        ),
    );
    await page.screenshot({
      path: 'test-results/screenshots/live-app2-after.png',
      fullPage: true,
    });

    await change(
      'the Service is deleted',
      () => control(demo, 'remove', [ref(service)]),
      // The entity's routes are found through its Services: without one, the card says so.
      () =>
        expect(
          page.getByText('No route from outside reaches this entity'),
        ).toBeVisible(),
    );
    await page.screenshot({
      path: 'test-results/screenshots/live-app2-service-deleted.png',
      fullPage: true,
    });
  } finally {
    // The demo cluster as seed 004 has it, for the tests after this one.
    for (const added of [betaIngress, monitoringOnly])
      await demo
        .post('/demo-cluster/remove', { data: [ref(added)] })
        .catch(() => undefined);
    await demo
      .post('/demo-cluster/apply', { data: [service, pod, slice] })
      .catch(() => undefined);
    await demo.dispose();
  }
});
