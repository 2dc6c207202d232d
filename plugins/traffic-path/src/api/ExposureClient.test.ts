/*
 * The exposure client asks the backend through fetchApi (so the user's
 * token goes along), with repeated owner/system/entityRef parameters as
 * the OpenAPI spec reads them.
 */
import { ExposureClient, exposureSearchParams } from './ExposureClient';

function clientWith(answer: () => Response) {
  const fetch = jest.fn(async (_url: string) => answer());
  const client = new ExposureClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as never },
  });
  return { client, fetch };
}

describe('exposureSearchParams', () => {
  it('repeats owner, system and entityRef, and adds the options', () => {
    expect(
      exposureSearchParams({
        owners: ['group:default/team-web', 'group:default/team-edge'],
        systems: ['system:default/storefront'],
        entityRefs: ['component:default/shop'],
        publicOnly: true,
        since: '2026-12-01T00:00:00.000Z',
        limit: 10,
        format: 'csv',
      }).toString(),
    ).toBe(
      'owner=group%3Adefault%2Fteam-web&owner=group%3Adefault%2Fteam-edge&system=system%3Adefault%2Fstorefront&publicOnly=true&entityRef=component%3Adefault%2Fshop&since=2026-12-01T00%3A00%3A00.000Z&limit=10&format=csv',
    );
    expect(exposureSearchParams({}).toString()).toBe('');
  });

  it('asks for indirect ownership only with owners to expand', () => {
    expect(
      exposureSearchParams({
        owners: ['group:default/team-web'],
        ownership: 'indirect',
      }).toString(),
    ).toBe('owner=group%3Adefault%2Fteam-web&ownership=indirect');
    expect(
      exposureSearchParams({
        systems: ['system:default/storefront'],
        ownership: 'indirect',
      }).toString(),
    ).toBe('system=system%3Adefault%2Fstorefront');
  });
});

describe('ExposureClient', () => {
  it('reads the summaries and the changes', async () => {
    const { client, fetch } = clientWith(
      () => new Response(JSON.stringify({ items: [] }), { status: 200 }),
    );
    await expect(client.getExposure({})).resolves.toEqual({ items: [] });
    await client.getExposureChanges({
      entityRefs: ['component:default/shop'],
    });
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/traffic-path/v1/exposure',
      'http://backend/api/traffic-path/v1/exposure/changes?entityRef=component%3Adefault%2Fshop',
    ]);
  });

  it('hands a report over with the file name the backend gives', async () => {
    const { client, fetch } = clientWith(
      () =>
        new Response('entityRef,host\n', {
          status: 200,
          headers: {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': 'attachment; filename="exposure.csv"',
          },
        }),
    );
    const report = await client.getExposureReport({
      owners: ['group:default/team-web'],
      format: 'csv',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/traffic-path/v1/exposure?owner=group%3Adefault%2Fteam-web&format=csv',
    );
    expect(report.fileName).toBe('exposure.csv');
    expect(await report.content.text()).toBe('entityRef,host\n');
  });

  it('names a report itself when the backend does not', async () => {
    const { client } = clientWith(
      () => new Response('| a |\n', { status: 200 }),
    );
    const report = await client.getExposureReport({ format: 'markdown' });
    expect(report.fileName).toBe('traffic-path-exposure.md');
  });

  it('turns an error answer into an error with the backend message', async () => {
    const { client } = clientWith(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'owner "team web" is not an entity reference',
            },
            // Backstage's error handler answers the request and the status too.
            request: { method: 'GET', url: '/api/traffic-path/v1/exposure' },
            response: { statusCode: 400 },
          }),
          {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
    );
    await expect(client.getExposure({ owners: ['team web'] })).rejects.toThrow(
      'owner "team web" is not an entity reference (HTTP 400)',
    );
  });
});
