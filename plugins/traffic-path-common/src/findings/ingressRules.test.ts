import {
  ingressBackendNotService,
  ingressClassAmbiguous,
  ingressClassNotFound,
  ingressControllerNotFound,
  ingressNoAddress,
  tlsHostNotCovered,
  tlsSecretNotFound,
} from './ingressRules';
import {
  realdataRoutes,
  scenarioRoutes,
  yamlRoutes,
} from './__testUtils__/routes';

const ingressRef = { kind: 'Ingress', namespace: 'shop', name: 'web' };
const routeId = 'ingress:shop/web:0:0';

/** An Ingress of shop for shop.example.com, with what the test adds to its spec. */
function ingress(spec: string[] = [], rest = '') {
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
${spec.map(line => `  ${line}\n`).join('')}  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
${rest}`;
}

const defaultClass = (name: string, controller: string) => `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
  annotations: { ingressclass.kubernetes.io/is-default-class: 'true' }
spec: { controller: ${controller} }
`;

describe('Ingress rules', () => {
  it('ingressClassAmbiguous: an Ingress without a class and two default IngressClasses', () => {
    const two = yamlRoutes(
      `${ingress()}${defaultClass(
        'nginx',
        'k8s.io/ingress-nginx',
      )}${defaultClass('traefik', 'traefik.io/ingress-controller')}`,
      ['_shared/ingress-nginx.yaml', '_shared/shop-web.yaml'],
    );
    expect(two.route(routeId).hops).toContainEqual(
      expect.objectContaining({
        kind: 'ingress-controller',
        defaultClasses: ['nginx', 'traefik'],
      }),
    );
    expect(ingressClassAmbiguous(two.route(routeId), two.ctx)).toEqual([
      expect.objectContaining({
        code: 'INGRESS_CLASS_AMBIGUOUS',
        severity: 'warning',
        object: ingressRef,
        routeIds: [routeId],
        message:
          'Ingress shop/web names no class and 2 IngressClasses are marked default',
      }),
    ]);
    const one = yamlRoutes(
      `${ingress()}${defaultClass('nginx', 'k8s.io/ingress-nginx')}`,
      ['_shared/ingress-nginx.yaml', '_shared/shop-web.yaml'],
    );
    expect(ingressClassAmbiguous(one.route(routeId), one.ctx)).toEqual([]);
  });

  it('ingressClassNotFound: the IngressClass the Ingress names is not among those listed', () => {
    const { ctx, route } = scenarioRoutes('ingress-class-not-found');
    expect(ingressClassNotFound(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'INGRESS_CLASS_NOT_FOUND',
        object: ingressRef,
        message:
          'Ingress shop/web names IngressClass "nginx-public", which does not exist',
      }),
    ]);
    const fine = scenarioRoutes('service-no-ready-endpoints');
    expect(ingressClassNotFound(fine.route(routeId), fine.ctx)).toEqual([]);
  });

  it('ingressControllerNotFound: only when the input would show the controller', () => {
    const { ctx, route } = scenarioRoutes('ingress-controller-not-found');
    expect(ingressControllerNotFound(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'INGRESS_CONTROLLER_NOT_FOUND',
        object: ingressRef,
        message:
          'No ingress controller serving class "traefik" (traefik.io/ingress-controller) was found for Ingress shop/web',
      }),
    ]);
    // Only the app's namespace in the input: the controller may run elsewhere.
    const partial = yamlRoutes(ingress(['ingressClassName: nginx']), [
      '_shared/shop-web.yaml',
    ]);
    const proxy = partial
      .route(routeId)
      .hops.find(h => h.kind === 'ingress-controller');
    expect(proxy).toMatchObject({ status: 'unknown' });
    expect(proxy).not.toHaveProperty('notFound');
    expect(
      ingressControllerNotFound(partial.route(routeId), partial.ctx),
    ).toEqual([]);
  });

  it('ingressControllerNotFound: manifests of workloads in other namespaces prove no controller is missing', () => {
    // `helm template` of an app chart and of a monitoring chart: pod templates
    // in two namespaces, no pod; the controller is installed apart.
    const manifests = yamlRoutes(`${ingress(['ingressClassName: nginx'])}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/example/shop-web:2.3.0
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: prometheus, namespace: monitoring }
spec:
  selector: { matchLabels: { app: prometheus } }
  template:
    metadata: { labels: { app: prometheus } }
    spec:
      containers:
        - name: prometheus
          image: quay.io/prometheus/prometheus:v2.53.0
          ports: [{ name: web, containerPort: 9090 }]
`);
    const route = manifests.route(routeId);
    const proxy = route.hops.find(h => h.kind === 'ingress-controller');
    expect(proxy).toMatchObject({
      status: 'unknown',
      problems: ['no controller for class "nginx" in the input'],
    });
    expect(proxy).not.toHaveProperty('notFound');
    expect(ingressControllerNotFound(route, manifests.ctx)).toEqual([]);
  });

  it('ingressNoAddress: a deployed Ingress that no controller admitted; manifests are not deployed yet', () => {
    const { ctx, route } = scenarioRoutes('ingress-no-address');
    expect(ingressNoAddress(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'INGRESS_NO_ADDRESS',
        hop: 'dns',
        object: ingressRef,
        message:
          "Ingress shop/web has no address in status.loadBalancer: no controller has admitted it; its controller's load balancer is 34.120.10.20",
      }),
    ]);
    const manifests = yamlRoutes(ingress(['ingressClassName: nginx']), [
      '_shared/ingress-nginx.yaml',
      '_shared/shop-web.yaml',
    ]);
    expect(ingressNoAddress(manifests.route(routeId), manifests.ctx)).toEqual(
      [],
    );
  });

  it('tlsSecretNotFound: only when the input lists the Secrets of the namespace', () => {
    const { ctx, route } = scenarioRoutes('tls-secret-not-found');
    expect(tlsSecretNotFound(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'TLS_SECRET_NOT_FOUND',
        object: ingressRef,
        message:
          'Ingress shop/web uses TLS Secret shop-example-com-tls, which does not exist in namespace shop',
      }),
    ]);
    const noSecrets = yamlRoutes(
      ingress([
        'ingressClassName: nginx',
        'tls: [{ hosts: [shop.example.com], secretName: shop-example-com-tls }]',
      ]),
      ['_shared/ingress-nginx.yaml', '_shared/shop-web.yaml'],
    );
    expect(tlsSecretNotFound(noSecrets.route(routeId), noSecrets.ctx)).toEqual(
      [],
    );
  });

  it('tlsSecretNotFound: before deploy cert-manager may create the Secret, so info and an unknown hop', () => {
    const { ctx, route } = scenarioRoutes('rules-before-deploy-snat');
    const before = route(routeId);
    const hop = before.hops.find(h => h.kind === 'ingress');
    expect(hop).toMatchObject({ status: 'unknown', tlsSecretAtDeploy: true });
    expect(hop).not.toHaveProperty('tlsSecretNotFound');
    const found = tlsSecretNotFound(before, ctx);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      code: 'TLS_SECRET_NOT_FOUND',
      severity: 'info',
      object: ingressRef,
      message:
        'Ingress shop/web uses TLS Secret shop-example-com-tls, which is not in the manifests of namespace shop: it must exist once deployed (cert-manager or another controller may create it)',
    });
    // Deployed (it has a status), the same Secret missing is an error.
    const deployed = scenarioRoutes('tls-secret-not-found');
    expect(tlsSecretNotFound(deployed.route(routeId), deployed.ctx)).toEqual([
      expect.objectContaining({ severity: 'error' }),
    ]);
  });

  it('tlsHostNotCovered: spec.tls names other hosts', () => {
    const { ctx, route } = scenarioRoutes('tls-host-not-covered');
    expect(tlsHostNotCovered(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'TLS_HOST_NOT_COVERED',
        severity: 'warning',
        object: ingressRef,
        message:
          'Ingress shop/web has TLS for www.example.com but not for shop.example.com',
      }),
    ]);
    const covered = scenarioRoutes('tls-secret-not-found');
    expect(tlsHostNotCovered(covered.route(routeId), covered.ctx)).toEqual([]);
  });

  it('ingressBackendNotService: a resource backend (popeye fixture)', () => {
    const { ctx, route, drafts } = realdataRoutes('popeye/net_ingress_1.yaml');
    expect(
      ingressBackendNotService(route('ingress:default/ing5:0:0'), ctx),
    ).toEqual([
      expect.objectContaining({
        code: 'INGRESS_BACKEND_NOT_SERVICE',
        severity: 'info',
        object: { kind: 'Ingress', namespace: 'default', name: 'ing5' },
        message: 'Ingress default/ing5 sends */testpath to Zorg zorg',
      }),
    ]);
    // The other Ingresses of the fixture send to Services.
    expect(
      drafts
        .filter(d => d.id !== 'ingress:default/ing5:0:0')
        .flatMap(d => ingressBackendNotService(d, ctx)),
    ).toEqual([]);
  });
});
