/*
 * Traefik's CRDs beyond IngressRoute, on the scenario kinds-traefik-crds.
 * The cluster index keeps IngressRouteUDP with the other Traefik routes and
 * MiddlewareTCP and TraefikService apart (middlewareTcps, traefikServices).
 */
import { buildIndex } from '../index/clusterIndex';
import { withDefaultNamespace } from '../load/namespaces';
import { loadFiles, scenariosDir } from '../__testUtils__/scenarios';
import { createContext } from './context';
import { traefikRoutes } from './traefik';

/** The scenario's routes; `bare`: without its TraefikServices and MiddlewareTCPs, as manifests that lack them. */
function resolve(bare = false) {
  const load = loadFiles(
    ['kinds-traefik-crds/cluster', '_shared/shop-web.yaml'],
    scenariosDir,
  );
  const objects = withDefaultNamespace(load.objects).filter(
    o => !bare || !['TraefikService', 'MiddlewareTCP'].includes(o.kind),
  );
  const index = buildIndex(objects, load.listedKinds);
  const ctx = createContext(index);
  const drafts = index.traefikRoutes.flatMap(o => traefikRoutes(ctx, o));
  return {
    drafts,
    route: (id: string) => {
      const found = drafts.find(d => d.id === id);
      if (!found)
        throw new Error(`no route ${id}: ${drafts.map(d => d.id).join(', ')}`);
      return found;
    },
  };
}

const hop = (route: { hops: { kind: string }[] }, kind: string) =>
  route.hops.find(h => h.kind === kind) as Record<string, unknown>;

describe('Traefik CRDs', () => {
  const { route } = resolve();

  it('draws an IngressRouteUDP as a route per weighted service, through its UDP entry point', () => {
    const a = route('ingressrouteudp:shop/dns:0:dns:0:0:0:0');
    expect(a.entry).toMatchObject({
      kind: 'udp-route-rule',
      object: { kind: 'IngressRouteUDP', namespace: 'shop', name: 'dns' },
      port: 53,
      tls: false,
      exposure: 'public',
    });
    expect(a.hops.map(h => h.kind)).toEqual([
      'client',
      'dns',
      'load-balancer',
      'node-port',
      'kube-proxy',
      'ingress-controller',
      'ingress',
      'service',
      'pod',
      'container',
    ]);
    expect(hop(a, 'node-port')).toMatchObject({ nodePort: 30053 });
    expect(hop(a, 'ingress-controller')).toMatchObject({
      status: 'ok',
      label: expect.stringContaining('entryPoint dns (port 53)'),
    });
    expect(hop(a, 'ingress')).toMatchObject({
      status: 'ok',
      label: 'IngressRouteUDP shop/dns: every datagram, weight 3 (75%)',
    });
    expect(a.backend).toEqual({
      kind: 'Service',
      namespace: 'shop',
      name: 'resolver-a',
    });
    expect(a.weight).toEqual({ weight: 3, share: 0.75 });
    const b = route('ingressrouteudp:shop/dns:0:dns:0:0:0:1');
    expect(b.weight).toEqual({ weight: 1, share: 0.25 });
    expect(hop(b, 'container')).toMatchObject({
      targets: [expect.objectContaining({ port: 5353, declared: true })],
    });
  });

  it("evaluates a MiddlewareTCP allowlist on the IngressRouteTCP's rule hop, against the address Traefik sees", () => {
    const tcp = route('ingressroutetcp:shop/postgres:0:postgres:0:0:0:0');
    expect(hop(tcp, 'ingress')).toMatchObject({
      label: 'IngressRouteTCP shop/postgres: any SNI',
      restrictions: [
        {
          origin:
            'Traefik MiddlewareTCP shop/office-only ipWhiteList.sourceRange',
          mode: 'allow',
          cidrs: ['203.0.113.0/24', '192.168.1.7'],
          visible: true,
        },
      ],
      // The entry that is not an address is a fact the front rules turn into INVALID_SOURCE_RANGE.
      invalidRanges: [
        {
          field:
            'Traefik MiddlewareTCP shop/office-only ipWhiteList.sourceRange',
          value: 'office-vpn',
        },
      ],
      // externalTrafficPolicy Local keeps the client address up to Traefik.
      sourceAddress: { kind: 'client' },
    });
  });

  it('follows a weighted TraefikService to its Services, with their shares of the route, and states a mirror', () => {
    const main = route('ingressroute:shop/shop:0:web:0:0:0:0.0');
    expect(main.backend).toEqual({
      kind: 'Service',
      namespace: 'shop',
      name: 'web',
    });
    expect(main.weight).toEqual({ weight: 3, share: 0.75 });
    expect(hop(main, 'ingress')).toMatchObject({
      status: 'ok',
      label:
        'IngressRoute shop/shop: shop.example.com, TraefikService shop/shop-split weight 3 (75% of it), 75% of the route',
    });
    // The mirroring branch: its main Service gets the branch's traffic, the mirror a copy.
    const canary = route('ingressroute:shop/shop:0:web:0:0:0:0.1');
    expect(canary.backend).toEqual({
      kind: 'Service',
      namespace: 'shop',
      name: 'web-canary',
    });
    expect(canary.weight).toEqual({ weight: 1, share: 0.25 });
    expect(hop(canary, 'ingress')).toMatchObject({
      label:
        'IngressRoute shop/shop: shop.example.com, TraefikService shop/shop-split weight 1 (25% of it), TraefikService shop/shop-canary (mirroring), 25% of the route; TraefikService shop/shop-canary mirrors 20% of requests to Service shop/web-shadow:80 (its responses are ignored)',
    });
    // The mirror is no route of its own.
    expect(
      resolve().drafts.filter(d => d.backend?.name === 'web-shadow'),
    ).toEqual([]);
  });

  it('shows a TraefikService it does not model (failover) as not modelled', () => {
    const checkout = route('ingressroute:shop/checkout:0:web:0:0:0:0');
    expect(checkout.backend).toBeUndefined();
    expect(hop(checkout, 'not-modelled')).toMatchObject({
      status: 'unknown',
      what: 'TraefikService shop/checkout-failover (failover)',
    });
  });

  it('says a TraefikService or MiddlewareTCP the input lacks is not in the input, never that it is missing', () => {
    const bare = resolve(true);
    const shop = bare.route('ingressroute:shop/shop:0:web:0:0:0:0');
    expect(hop(shop, 'ingress')).toMatchObject({
      status: 'unknown',
      problems: ['TraefikService shop/shop-split is not in the input'],
    });
    expect(
      hop(
        bare.route('ingressroutetcp:shop/postgres:0:postgres:0:0:0:0'),
        'ingress',
      ),
    ).toMatchObject({
      status: 'unknown',
      problems: ['MiddlewareTCP shop/office-only is not in the input'],
      restrictions: [],
    });
  });
});
