import { buildIndex } from '../index/clusterIndex';
import { KubeObject } from '../model';
import { createContext } from './context';
import {
  hostnameIntersection,
  Listener,
  listenerTakes,
  referenceGranted,
} from './gateway';

describe('hostnameIntersection', () => {
  it.each([
    // listener, route, what both serve
    [undefined, 'foo.example.com', 'foo.example.com'],
    ['foo.example.com', 'foo.example.com', 'foo.example.com'],
    ['FOO.example.com', 'foo.EXAMPLE.com', 'foo.example.com'],
    ['*.example.com', 'foo.example.com', 'foo.example.com'],
    // A wildcard is a suffix match over one or more labels...
    ['*.example.com', 'a.b.example.com', 'a.b.example.com'],
    // ...but never the bare domain.
    ['*.example.com', 'example.com', undefined],
    ['foo.example.com', '*.example.com', 'foo.example.com'],
    ['*.example.com', '*.example.com', '*.example.com'],
    ['*.example.com', '*.foo.example.com', '*.foo.example.com'],
    ['*.foo.example.com', '*.example.com', '*.foo.example.com'],
    ['foo.example.com', 'bar.example.com', undefined],
    ['*.example.com', 'www.example.org', undefined],
  ])('listener %s, route %s → %s', (listener, route, expected) => {
    expect(hostnameIntersection(listener, route)).toBe(expected);
  });
});

describe('referenceGranted', () => {
  const grant: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'allow', namespace: 'backends' },
    spec: {
      from: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          namespace: 'apps',
        },
      ],
      to: [{ group: '', kind: 'Service', name: 'api' }],
    },
  };
  const to = (name: string) => ({
    group: '',
    kind: 'Service',
    namespace: 'backends',
    name,
  });
  const from = { kind: 'HTTPRoute', namespace: 'apps' };

  it('permits what a grant in the target namespace names, and nothing else', () => {
    const ctx = createContext(buildIndex([grant]));
    expect(referenceGranted(ctx, from, to('api'))).toBe(true);
    expect(referenceGranted(ctx, from, to('db'))).toBe(false);
    expect(
      referenceGranted(
        ctx,
        { kind: 'GRPCRoute', namespace: 'apps' },
        to('api'),
      ),
    ).toBe(false);
    expect(
      referenceGranted(ctx, { kind: 'HTTPRoute', namespace: 'web' }, to('api')),
    ).toBe(false);
  });

  it('cannot tell when the input holds no ReferenceGrants', () => {
    expect(
      referenceGranted(createContext(buildIndex([])), from, to('api')),
    ).toBe(null);
    expect(
      referenceGranted(
        createContext(buildIndex([], ['ReferenceGrant'])),
        from,
        to('api'),
      ),
    ).toBe(false);
  });
});

describe('listenerTakes', () => {
  const listener = (protocol: string, tlsMode?: string): Listener => ({
    name: 'l',
    port: 443,
    protocol,
    allowedFrom: 'Same',
    allowedKinds: [],
    ...(tlsMode ? { tlsMode } : {}),
    certificateRefs: [],
  });

  it('lets a TCPRoute attach to TCP listeners and to TLS listeners that terminate', () => {
    expect(listenerTakes('TCPRoute', listener('TCP'))).toBe(true);
    expect(listenerTakes('TCPRoute', listener('TLS', 'Terminate'))).toBe(true);
    // Terminate is the API's default mode.
    expect(listenerTakes('TCPRoute', listener('TLS'))).toBe(true);
    expect(listenerTakes('TCPRoute', listener('TLS', 'Passthrough'))).toBe(
      false,
    );
    expect(listenerTakes('TCPRoute', listener('HTTPS', 'Terminate'))).toBe(
      false,
    );
  });

  it('lets a TLSRoute attach to TLS listeners of either mode, and nothing else', () => {
    expect(listenerTakes('TLSRoute', listener('TLS', 'Passthrough'))).toBe(
      true,
    );
    expect(listenerTakes('TLSRoute', listener('TLS', 'Terminate'))).toBe(true);
    expect(listenerTakes('TLSRoute', listener('TCP'))).toBe(false);
    expect(listenerTakes('HTTPRoute', listener('TLS', 'Terminate'))).toBe(
      false,
    );
    expect(listenerTakes('UDPRoute', listener('UDP'))).toBe(true);
  });
});
