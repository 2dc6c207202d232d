/*
 * "Copy link for docs": the backend's always-current SVG of the chosen
 * route as a Markdown image, to paste into a docs page once instead of a
 * picture that is stale the day after. The URL is the backend's own (from
 * the discovery API), so it asks for the same permissions as the card: the
 * page that shows it must send the reader's Backstage token with the image
 * request (a plain <img> on another site gets 401; see docs/ci.md,
 * "Embedding diagrams"). The link names the cluster of the route: for an
 * entity in several clusters the backend would otherwise draw the first
 * cluster's route of that host and path, perhaps not the one on the card.
 */
import { useState } from 'react';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { discoveryApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useAsyncEntity } from '@backstage/plugin-catalog-react';
import { Route, routeCaption } from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';

/** The entity of the page, when the card is on one (the view also renders without). */
function useEntityRef(): string | undefined {
  try {
    // Called on every render, in the same order: the try only catches the
    // throw of a page without an entity context.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    const { entity } = useAsyncEntity();
    return entity ? stringifyEntityRef(entity) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the diagram of a route is: in its cluster, by host and path when it
 * has them, else by route id.
 */
export function diagramQuery(
  entityRef: string,
  cluster: string,
  route: Route,
  theme: 'light' | 'dark',
): string {
  const q = new URLSearchParams({ entityRef, cluster });
  if (route.entry.host !== undefined) {
    q.set('host', route.entry.host);
    if (route.entry.path !== undefined) q.set('path', route.entry.path);
  } else q.set('route', route.id);
  q.set('format', 'svg');
  q.set('theme', theme);
  return q.toString();
}

/** The Markdown image of a route's diagram, alt text included. */
export function docsImage(caption: string, url: string): string {
  return `![${caption.replace(/[[\]\\]/g, '\\$&')}](${url})`;
}

const HOW_TO_EMBED =
  "A Markdown image of this route's diagram, always current. It asks for the card's permissions: the page that shows it must send the reader's Backstage token (a plain image on another site gets 401).";

export function CopyDocsLink(props: {
  route: Route;
  /** The cluster the route was read from, as the routes API names it. */
  cluster: string;
}) {
  const apis = useApiHolder();
  const entityRef = useEntityRef();
  const { mode } = useTrafficPathColours();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  // Without an entity (the bare view, outside an entity page) there is no link to give.
  if (!entityRef) return null;
  const copy = async () => {
    try {
      // Looked up on demand: an app without a backend URL still renders the card.
      const discoveryApi = apis.get(discoveryApiRef);
      if (!discoveryApi) throw new Error('no discovery API in this app');
      const base = await discoveryApi.getBaseUrl('traffic-path');
      const url = `${base}/v1/diagram?${diagramQuery(
        entityRef,
        props.cluster,
        props.route,
        mode,
      )}`;
      await navigator.clipboard.writeText(
        docsImage(routeCaption(props.route), url),
      );
      setState('copied');
      setTimeout(() => setState('idle'), 1500);
    } catch {
      setState('failed');
    }
  };
  return (
    <Tooltip title={HOW_TO_EMBED} describeChild>
      <Button size="small" variant="outlined" onClick={copy}>
        {state === 'copied' && 'Link copied'}
        {state === 'failed' && 'Could not copy'}
        {state === 'idle' && 'Copy link for docs'}
      </Button>
    </Tooltip>
  );
}
