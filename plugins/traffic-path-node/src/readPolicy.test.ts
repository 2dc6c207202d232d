import { ClusterRead } from '@internal/plugin-traffic-path-common';
import { ReadError } from './readError';
import { applyReadPolicy, readFailure } from './readPolicy';

const services: ClusterRead = {
  path: '/api/v1/services',
  kind: 'Service',
  required: true,
  listed: 'Service',
};
const nodes: ClusterRead = {
  path: '/api/v1/nodes',
  kind: 'Node',
  listed: 'Node',
};
const grpcRoutes: ClusterRead = {
  path: '/apis/gateway.networking.k8s.io/v1/grpcroutes',
  kind: 'GRPCRoute',
  listed: 'GRPCRoute',
  absentOk: true,
};
const svc = { kind: 'Service', metadata: { name: 'web', namespace: 'shop' } };
const failed = (read: ClusterRead, status: number) => ({
  error: new ReadError(read.path, 'status', 'the server said no', status),
});

describe('applyReadPolicy', () => {
  it('keeps the objects and what was listed in full', () => {
    expect(
      applyReadPolicy([services, nodes], [{ objects: [svc] }, { objects: [] }]),
    ).toEqual({
      objects: [svc],
      listedKinds: ['Service', 'Node'],
      warnings: [],
    });
  });

  it('turns a failed optional read into a warning, its kind not listed', () => {
    const batch = applyReadPolicy(
      [services, nodes],
      [{ objects: [svc] }, failed(nodes, 403)],
    );
    expect(batch.listedKinds).toEqual(['Service']);
    expect(batch.warnings.map(w => w.message)).toEqual([
      'GET /api/v1/nodes: HTTP 403 the server said no',
    ]);
  });

  it('takes a 404 of a CRD the cluster lacks as none, without a warning', () => {
    expect(
      applyReadPolicy(
        [services, grpcRoutes],
        [{ objects: [svc] }, failed(grpcRoutes, 404)],
      ),
    ).toEqual({ objects: [svc], listedKinds: ['Service'], warnings: [] });
  });

  it('warns about a CRD read that fails otherwise', () => {
    const batch = applyReadPolicy([grpcRoutes], [failed(grpcRoutes, 403)]);
    expect(batch.warnings).toHaveLength(1);
  });

  it('fails with the error of a required read', () => {
    expect(() =>
      applyReadPolicy(
        [services, nodes],
        [failed(services, 500), { objects: [] }],
      ),
    ).toThrow('GET /api/v1/services: HTTP 500 the server said no');
  });
});

describe('readFailure', () => {
  const err = (read: ClusterRead, status?: number) =>
    new ReadError(read.path, status ? 'status' : 'unreachable', 'no', status);

  it('takes a 404 of an absentOk read as absent', () => {
    expect(readFailure(grpcRoutes, err(grpcRoutes, 404))).toBe('absent');
    expect(
      readFailure({ ...grpcRoutes, required: true }, err(grpcRoutes, 404)),
    ).toBe('absent');
  });

  it('takes any failure of a required read as fatal, a 404 too', () => {
    expect(readFailure(services, err(services, 404))).toBe('fatal');
    expect(readFailure(services, err(services, 403))).toBe('fatal');
    expect(readFailure(services, err(services))).toBe('fatal');
  });

  it('takes other failures of an optional read as a warning', () => {
    expect(readFailure(nodes, err(nodes, 404))).toBe('warning');
    expect(readFailure(grpcRoutes, err(grpcRoutes, 403))).toBe('warning');
    expect(readFailure(grpcRoutes, err(grpcRoutes))).toBe('warning');
  });

  it('takes a read not answered yet as fatal when required, never absent', () => {
    expect(readFailure(services)).toBe('fatal');
    expect(readFailure(grpcRoutes)).toBe('warning');
  });
});
