/*
 * The review page of the render benchmark: the ownership review (the
 * page at /traffic-path) in Backstage's test app, its exposure API
 * answering the JSON the benchmark hands over (the backend's answer for
 * thousands of stored summaries). It answers how long the page took from
 * the answer's text to the frame where the table's first page is on
 * screen, and how long a filter or a sort over all rows takes to show.
 */
import { createRoot } from 'react-dom/client';
import { wrapInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ExposureAnswer,
  ExposureApi,
  exposureApiRef,
  ExposureReview,
} from '@internal/plugin-traffic-path';

declare global {
  interface Window {
    renderReview(json: string): Promise<{ renderMs: number; rows: number }>;
    /** Clicks the element and waits until the table's subtitle or first cell changes. */
    timeClick(selector: string): Promise<{ ms: number; subtitle: string }>;
  }
}

const frame = () =>
  new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));

const root = createRoot(document.getElementById('root')!);

/** What the table says it shows ("N of M entry points") and its first cell. */
function tableState(): string {
  const subtitle =
    [...document.querySelectorAll('h6, p, span')]
      .map(e => e.textContent ?? '')
      .find(t => / of \d+ entry points$/.test(t)) ?? '';
  const first = document.querySelector('tbody tr td')?.textContent ?? '';
  return `${subtitle}|${first}`;
}

async function until(test: () => boolean, timeoutMs = 60_000) {
  const started = performance.now();
  while (!test()) {
    if (performance.now() - started > timeoutMs)
      throw new Error('the review page did not show its rows in time');
    await new Promise(r => setTimeout(r, 1));
  }
}

window.renderReview = async (json: string) => {
  root.render(<div />);
  await frame();
  const started = performance.now();
  const api: ExposureApi = {
    // As fetch's response.json() would: the text is parsed when the page asks.
    getExposure: async () => JSON.parse(json) as ExposureAnswer,
    getExposureChanges: async () => ({ items: [] }),
    getExposureReport: async () => {
      throw new Error('not in the benchmark');
    },
  };
  root.render(
    wrapInTestApp(
      <TestApiProvider apis={[[exposureApiRef, api]]}>
        <ExposureReview scope={{ kind: 'all' }} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    ),
  );
  await until(() => / of \d+ entry points\|.+/.test(tableState()));
  await frame();
  return {
    renderMs: performance.now() - started,
    rows: document.querySelectorAll('tbody tr').length,
  };
};

window.timeClick = async (selector: string) => {
  const before = tableState();
  const element = document.querySelector(selector) as HTMLElement | null;
  if (!element) throw new Error(`nothing matches ${selector}`);
  const started = performance.now();
  element.click();
  await until(() => tableState() !== before);
  await frame();
  return {
    ms: performance.now() - started,
    subtitle: tableState().split('|')[0],
  };
};
