/*
 * The ownership review in the portal as built: the page at /traffic-path
 * with its sidebar entry, and the entry-point card on a Group's page, with
 * the catalog and the exposure API mocked (the stored summary is the
 * engine's, of the lb-source-ranges scenario).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { ExposureApi, exposureApiRef } from '@internal/plugin-traffic-path';
import {
  exposureOf,
  mergeLoadResults,
  parseDocuments,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { features } from './App';

const scenario = resolve(
  __dirname,
  '../../../test/scenarios/lb-source-ranges/cluster',
);

function storedEntries() {
  const report = resolveReport(
    mergeLoadResults(
      readdirSync(scenario)
        .sort()
        .map(f => parseDocuments(f, readFileSync(join(scenario, f), 'utf8'))),
    ),
  );
  return exposureOf(report).entries.map(
    ({ verdict: _v, objects: _o, ...entry }) => entry,
  );
}

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-edge', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function exposureApi(asked: string[][]): ExposureApi {
  return {
    getExposure: async query => {
      asked.push(query.owners ?? []);
      return {
        items: [
          {
            entityRef: 'component:default/admin',
            owner: 'group:default/team-edge',
            cluster: 'prod-eu',
            scannedAt: new Date().toISOString(),
            entries: storedEntries(),
          },
        ],
      };
    },
    getExposureChanges: async () => ({ items: [] }),
    getExposureReport: async () => {
      throw new Error('not asked in this test');
    },
  };
}

describe('Ownership review in the app', () => {
  it('has the review page at /traffic-path, in the sidebar', async () => {
    const asked: string[][] = [];
    renderTestApp({
      features,
      initialRouteEntries: ['/traffic-path'],
      apis: [
        catalogApiMock({ entities: [team] }),
        [exposureApiRef, exposureApi(asked)],
      ],
    });
    expect(
      await screen.findByText(
        'ranges 198.51.100.0/24, 2001:db8:10::/48',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(asked).toEqual([[]]);
    const links = screen
      .getAllByRole('link')
      .filter(l => l.getAttribute('href') === '/traffic-path');
    expect(links.map(l => l.textContent)).toContain('Traffic Path');
    expect(
      screen.getByRole('button', { name: 'Download CSV' }),
    ).toBeInTheDocument();
  });

  it("shows the entry-point card on a group's page", async () => {
    const asked: string[][] = [];
    renderTestApp({
      features,
      initialRouteEntries: ['/catalog/default/group/team-edge'],
      apis: [
        catalogApiMock({ entities: [team] }),
        [exposureApiRef, exposureApi(asked)],
      ],
    });
    expect(
      await screen.findByText(
        'Traffic Path: entry points',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'ranges 198.51.100.0/24, 2001:db8:10::/48',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(asked).toContainEqual(['group:default/team-edge']);
  });
});
