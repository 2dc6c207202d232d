/*
 * "Copy link for docs" copies the backend's diagram URL of the chosen route
 * as a Markdown image: the backend's base URL from the discovery API, the
 * page's entity, the route's cluster, the route by host and path (or by id
 * when it has no host) and the card's theme.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { entity, scenarioReport } from '../__testUtils__/scenarios';
import { CopyDocsLink, diagramQuery, docsImage } from './CopyDocsLink';

const report = scenarioReport(['seed-004/cluster']);
const app1 = report.routes.find(r => r.entry.host === 'app1.qas.abc.com')!;

const discovery = {
  getBaseUrl: jest.fn(
    async (id: string) => `https://backstage.example.com/api/${id}`,
  ),
};

describe('CopyDocsLink', () => {
  const writeText = jest.fn(async (_: string) => {});
  beforeEach(() => {
    writeText.mockClear();
    Object.assign(navigator, { clipboard: { writeText } });
  });

  it("copies the route's always-current SVG as a Markdown image", async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[discoveryApiRef, discovery]]}>
        <EntityProvider entity={entity('app1')}>
          <CopyDocsLink route={app1} cluster="demo" />
        </EntityProvider>
      </TestApiProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy link for docs' }));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    expect(discovery.getBaseUrl).toHaveBeenCalledWith('traffic-path');
    expect(writeText.mock.calls[0][0]).toBe(
      '![Traffic path of app1.qas.abc.com/: healthy](https://backstage.example.com/api/traffic-path/v1/diagram?entityRef=component%3Adefault%2Fapp1&cluster=demo&host=app1.qas.abc.com&path=%2F&format=svg&theme=light)',
    );
    expect(await screen.findByText('Link copied')).toBeInTheDocument();
  });

  it('offers no link outside an entity page', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[discoveryApiRef, discovery]]}>
        <CopyDocsLink route={app1} cluster="demo" />
      </TestApiProvider>,
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('names a route without a host by its id, and escapes the alt text', () => {
    const noHost = {
      ...app1,
      entry: { ...app1.entry, host: undefined, path: undefined },
    };
    expect(
      diagramQuery('component:default/app1', 'eu west', noHost, 'dark'),
    ).toBe(
      `entityRef=component%3Adefault%2Fapp1&cluster=eu+west&route=${encodeURIComponent(
        app1.id,
      )}&format=svg&theme=dark`,
    );
    expect(docsImage('a [b] \\ c', 'u')).toBe('![a \\[b\\] \\\\ c](u)');
  });
});
