import { ReadError } from '@internal/plugin-traffic-path-node';
import { clusterErrorEntry, readErrorMessage } from './clusterErrors';
import { ClusterCallError } from './kubernetesBackendClient';

const nodes = '/api/v1/nodes';

describe('readErrorMessage', () => {
  it.each([
    [
      new ReadError(nodes, 'status', 'nodes is forbidden', 403),
      'cluster prod answered /api/v1/nodes with 403: nodes is forbidden',
    ],
    [
      new ReadError(nodes, 'bad-body', 'a body that is not JSON', 200),
      'cluster prod answered /api/v1/nodes with a body that is not JSON (HTTP 200)',
    ],
    [
      new ReadError(
        nodes,
        'too-large',
        'an answer larger than 64 MiB, the bound of one read',
      ),
      'cluster prod answered /api/v1/nodes with an answer larger than 64 MiB, the bound of one read (trafficPath.reads.maxMegabytes)',
    ],
    [
      new ReadError(nodes, 'unreachable', 'connect ECONNREFUSED 10.0.0.1:6443'),
      'cluster prod could not be reached for /api/v1/nodes: connect ECONNREFUSED 10.0.0.1:6443',
    ],
  ])('words %s', (error, message) => {
    expect(readErrorMessage('prod', error)).toBe(message);
  });
});

describe('clusterErrorEntry', () => {
  it.each([
    [new ReadError(nodes, 'status', 'Unauthorized', 401), 'unauthorized'],
    [new ReadError(nodes, 'status', 'forbidden', 403), 'forbidden'],
    [new ReadError(nodes, 'status', 'Internal error', 500), 'unreachable'],
    [new ReadError(nodes, 'status', 'Not found', 404), 'error'],
    [
      new ReadError(nodes, 'bad-body', 'a body that is not JSON', 200),
      'bad-response',
    ],
    [new ReadError(nodes, 'too-large', 'too large'), 'bad-response'],
    [new ReadError(nodes, 'timeout', 'no answer within 30 s'), 'timeout'],
    [new ReadError(nodes, 'unreachable', 'ECONNRESET'), 'unreachable'],
    [new ClusterCallError('no such cluster', 'error', 404), 'error'],
    [new Error('something else'), 'unreachable'],
  ])('gives %s the reason %s', (error, reason) => {
    const entry = clusterErrorEntry('prod', error);
    expect('error' in entry && entry.error.reason).toBe(reason);
    expect('error' in entry && entry.error.message).not.toContain('undefined');
  });

  it('keeps the status of an answer', () => {
    expect(
      clusterErrorEntry(
        'prod',
        new ReadError(nodes, 'status', 'forbidden', 403),
      ),
    ).toEqual({
      cluster: 'prod',
      error: {
        reason: 'forbidden',
        status: 403,
        message: 'cluster prod answered /api/v1/nodes with 403: forbidden',
      },
    });
  });
});
