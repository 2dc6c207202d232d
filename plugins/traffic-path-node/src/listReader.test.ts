import { ClusterRead } from '@internal/plugin-traffic-path-common';
import { GetPage, PageAnswer, pagePath, readList } from './listReader';
import { ReadError } from './readError';

const pods: ClusterRead = {
  path: '/api/v1/pods?labelSelector=app%3Dweb',
  kind: 'Pod',
};
const pod = (name: string) => ({ metadata: { name, namespace: 'shop' } });
const list = (names: string[], token?: string) =>
  JSON.stringify({
    kind: 'PodList',
    metadata: token ? { continue: token } : {},
    items: names.map(pod),
  });

/** A transport that answers from a script, and records the paths asked. */
function scripted(...answers: (PageAnswer | Error)[]) {
  const asked: string[] = [];
  const getPage: GetPage = async path => {
    asked.push(path);
    const answer = answers.shift();
    if (!answer) throw new Error(`no answer scripted for ${path}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { asked, getPage };
}

const limits = { pageSize: 2, maxBytes: 1024 * 1024 };

describe('pagePath', () => {
  it('adds limit and continue to a path, keeping its own query as written', () => {
    expect(pagePath('/api/v1/nodes', 500)).toBe('/api/v1/nodes?limit=500');
    expect(pagePath(pods.path, 2, 'a+b/c=')).toBe(
      '/api/v1/pods?labelSelector=app%3Dweb&limit=2&continue=a%2Bb%2Fc%3D',
    );
    expect(pagePath('/api/v1/nodes', 0)).toBe('/api/v1/nodes');
  });
});

describe('readList', () => {
  it('follows continue tokens until the last page, kind put back on every item', async () => {
    const { asked, getPage } = scripted(
      { status: 200, text: list(['a', 'b'], 't1') },
      { status: 200, text: list(['c', 'd'], 't2') },
      { status: 200, text: list(['e']) },
    );
    const outcome = await readList(pods, getPage, limits);
    expect(outcome).toEqual({
      objects: ['a', 'b', 'c', 'd', 'e'].map(n => ({ ...pod(n), kind: 'Pod' })),
      pages: 3,
    });
    expect(asked).toEqual([
      '/api/v1/pods?labelSelector=app%3Dweb&limit=2',
      '/api/v1/pods?labelSelector=app%3Dweb&limit=2&continue=t1',
      '/api/v1/pods?labelSelector=app%3Dweb&limit=2&continue=t2',
    ]);
  });

  it('takes a page a transport parsed already as it is, without its text', async () => {
    const body = (names: string[], token?: string) =>
      JSON.parse(list(names, token));
    const { asked, getPage } = scripted(
      // The text is only for messages: were it read, these pages would not be lists.
      { status: 200, text: '', body: body(['a', 'b'], 't1') },
      { status: 200, text: 'not JSON', body: body(['c']) },
    );
    const outcome = await readList(pods, getPage, limits);
    expect(outcome).toEqual({
      objects: ['a', 'b', 'c'].map(n => ({ ...pod(n), kind: 'Pod' })),
      pages: 2,
    });
    expect(asked).toHaveLength(2);
  });

  it('starts once more from the top when a continue token expired (410)', async () => {
    const { asked, getPage } = scripted(
      { status: 200, text: list(['a', 'b'], 'old') },
      {
        status: 410,
        text: JSON.stringify({ kind: 'Status', code: 410, message: 'Expired' }),
      },
      { status: 200, text: list(['a', 'b'], 'new') },
      { status: 200, text: list(['c']) },
    );
    const outcome = await readList(pods, getPage, limits);
    expect(
      'objects' in outcome && outcome.objects.map(o => o.metadata.name),
    ).toEqual(['a', 'b', 'c']);
    expect(asked).toHaveLength(4);
  });

  it('names the read, not the page, when a later page fails', async () => {
    const { getPage } = scripted(
      { status: 200, text: list(['a', 'b'], 't1') },
      {
        status: 403,
        text: JSON.stringify({
          kind: 'Status',
          code: 403,
          message: 'forbidden',
        }),
      },
    );
    const outcome = await readList(pods, getPage, limits);
    expect('error' in outcome && outcome.error).toMatchObject({
      path: pods.path,
      problem: 'status',
      status: 403,
      message: 'GET /api/v1/pods?labelSelector=app%3Dweb: HTTP 403 forbidden',
    });
  });

  it.each([
    ['a body that is not JSON', { status: 200, text: '<html>' }, 'bad-body'],
    [
      'JSON that is not a list',
      { status: 200, text: '{"kind":"Pod"}' },
      'bad-body',
    ],
    [
      'an error without a Status body',
      { status: 502, text: 'Bad Gateway' },
      'status',
    ],
  ])('reports %s', async (_what, answer, problem) => {
    const { getPage } = scripted(answer);
    const outcome = await readList(pods, getPage, limits);
    expect('error' in outcome && outcome.error.problem).toBe(problem);
  });

  it('reports a transport failure as unreachable, and keeps the problem a transport names', async () => {
    const refused = await readList(
      pods,
      scripted(new Error('connect ECONNREFUSED 10.0.0.1:6443')).getPage,
      limits,
    );
    expect('error' in refused && refused.error).toMatchObject({
      problem: 'unreachable',
      message:
        'GET /api/v1/pods?labelSelector=app%3Dweb: connect ECONNREFUSED 10.0.0.1:6443',
    });
    const slow = await readList(
      pods,
      scripted(
        new ReadError(
          '/api/v1/pods?limit=2',
          'timeout',
          'no answer within 1 s',
        ),
      ).getPage,
      limits,
    );
    expect('error' in slow && slow.error).toMatchObject({
      path: pods.path,
      problem: 'timeout',
    });
  });

  it('gives each page what is left of the bound of the whole read', async () => {
    const first = list(['a', 'b'], 't1');
    const budgets: number[] = [];
    const getPage: GetPage = async (path, _read, { maxBytes }) => {
      budgets.push(maxBytes);
      return {
        status: 200,
        text: path.includes('continue') ? list(['c']) : first,
      };
    };
    await readList(pods, getPage, { pageSize: 2, maxBytes: 10_000 });
    expect(budgets).toEqual([10_000, 10_000 - Buffer.byteLength(first)]);
  });
});
