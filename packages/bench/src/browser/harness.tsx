/*
 * The page of the render benchmark: the Traffic Path view alone, with a
 * function the benchmark calls with the backend's JSON. It answers how
 * long React took from receiving the data to the frame where the graph,
 * the hop table and the findings are on screen.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { EntityRoutes } from '@internal/plugin-traffic-path-common';
import { TrafficPathView } from '@internal/plugin-traffic-path';

declare global {
  interface Window {
    renderRoutes(json: string): Promise<{
      parseMs: number;
      renderMs: number;
      nodes: number;
      rows: number;
    }>;
  }
}

const root = createRoot(document.getElementById('root')!);

window.renderRoutes = async (json: string) => {
  root.render(<div />);
  await new Promise(r => requestAnimationFrame(() => r(undefined)));
  const started = performance.now();
  const data = JSON.parse(json) as EntityRoutes;
  const parsed = performance.now();
  flushSync(() =>
    root.render(
      <TrafficPathView
        data={data}
        onTestClientIp={() => {}}
        busy={false}
        variant="page"
      />,
    ),
  );
  // The next frame is the first one painted with the route on it.
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const done = performance.now();
  return {
    parseMs: parsed - started,
    renderMs: done - started,
    nodes: document.querySelectorAll('.tp-node').length,
    rows: document.querySelectorAll('tbody tr').length,
  };
};
