/*
 * The entity card and the entity tab: load the entity's routes and show
 * them, with Backstage's own states around them — progress while loading,
 * the missing-annotation state, the error panel, empty states — and
 * refresh on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import {
  ClusterRoutes,
  EntityRoutes,
  entityRoutesChannel,
  EntityRoutesSignal,
} from '@internal/plugin-traffic-path-common';
import { trafficPathApiRef } from '../api';
import { isTrafficPathAvailable } from '../plugin';
import { TrafficPathView } from './TrafficPathView';

const reasonText: Partial<Record<string, string>> = {
  timeout: 'did not answer in time',
  unauthorized: 'refused the credentials',
  forbidden: 'forbids these reads',
  unreachable: 'could not be reached',
  'bad-response': 'sent an answer that could not be read',
  error: 'failed',
};

const KUBERNETES_DOCS =
  'https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity';

/** The entity's routes, loaded on mount and whenever the client IP changes; `refresh` reads the clusters again. */
function useEntityRoutes(entity: Entity, clientIp: string | undefined) {
  const api = useApi(trafficPathApiRef);
  // Set by Refresh, taken by the next load only: it reads the clusters again, past the backend's cache.
  const refreshRequested = useRef(false);
  const state = useAsyncRetry(() => {
    const refresh = refreshRequested.current;
    refreshRequested.current = false;
    return api.getRoutes({ entity, clientIp, ...(refresh ? { refresh } : {}) });
  }, [api, entity, clientIp]);
  const { retry } = state;
  const refresh = useCallback(() => {
    refreshRequested.current = true;
    retry();
  }, [retry]);
  // A watched cluster's routes of this entity changed (Backstage signals): load them again.
  const { lastSignal } = useSignal<EntityRoutesSignal>(
    entityRoutesChannel(stringifyEntityRef(entity)),
  );
  const handledSignal = useRef<EntityRoutesSignal | null>(null);
  useEffect(() => {
    if (lastSignal && lastSignal !== handledSignal.current) {
      handledSignal.current = lastSignal;
      retry();
    }
  }, [lastSignal, retry]);
  return { ...state, refresh };
}

/** "As of" the oldest data of the answer's clusters, and whether all of them are watched. */
function asOf(data: EntityRoutes): string | undefined {
  const times = data.clusters.flatMap(c =>
    'observedAt' in c && c.observedAt ? [Date.parse(c.observedAt)] : [],
  );
  if (times.length === 0) return undefined;
  const live = data.clusters.every(c => 'mode' in c && c.mode === 'watch');
  return `As of ${new Date(Math.min(...times)).toLocaleTimeString()}${
    live ? ', kept current' : ''
  }`;
}

type FailedCluster = Extract<ClusterRoutes, { error: unknown }>;

function MissingAnnotation() {
  return (
    <MissingAnnotationEmptyState
      annotation={[
        KUBERNETES_ANNOTATION,
        KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
      ]}
      readMoreUrl={KUBERNETES_DOCS}
    />
  );
}

function Body(props: { variant: 'card' | 'page' }) {
  const { entity } = useEntity();
  const [clientIp, setClientIp] = useState<string | undefined>();
  const {
    loading,
    value: data,
    error,
    refresh,
  } = useEntityRoutes(entity, clientIp);
  // The entity page wherever the app mounts the catalog; the Kubernetes plugin's tab sits at `kubernetes` under it.
  const kubernetesTabUrl = `${useEntityRefLink()(entity)}/kubernetes`;

  let body: JSX.Element;
  if (error) {
    body = (
      <ResponseErrorPanel
        error={error}
        title="Traffic Path could not load the routes"
      />
    );
  } else if (!data) {
    body = <Progress aria-label="Loading traffic paths" />;
  } else if (!data.configured) {
    body = <MissingAnnotation />;
  } else {
    const failed = data.clusters.filter(
      (c): c is FailedCluster => 'error' in c,
    );
    const asOfText = asOf(data);
    body = (
      <Box display="flex" flexDirection="column" gap={2}>
        {asOfText && (
          <Typography
            variant="caption"
            color="text.secondary"
            data-testid="as-of"
          >
            {asOfText}
          </Typography>
        )}
        {failed.map(c => (
          <Alert key={c.cluster} severity="warning" data-testid="cluster-error">
            Cluster {c.cluster} {reasonText[c.error.reason] ?? 'failed'}:{' '}
            {c.error.message}
          </Alert>
        ))}
        {data.clusters.length === 0 && (
          <EmptyState
            missing="info"
            title="No cluster is configured for this entity"
            description="The Kubernetes plugin finds no cluster for it: see kubernetes.clusterLocatorMethods in the app configuration."
          />
        )}
        {data.clusters.length > failed.length && (
          <TrafficPathView
            data={data}
            clientIp={clientIp}
            onTestClientIp={setClientIp}
            busy={loading}
            kubernetesTabUrl={kubernetesTabUrl}
            variant={props.variant}
          />
        )}
      </Box>
    );
  }
  return (
    <InfoCard
      title={
        <Typography variant="h5" component="h2">
          Traffic path
        </Typography>
      }
      subheader="From the domain to the container, hop by hop"
      action={
        <Button
          size="small"
          onClick={refresh}
          disabled={loading}
          aria-label="Refresh the traffic paths"
        >
          Refresh
        </Button>
      }
    >
      {/* Refreshing keeps the routes on screen, with progress above them. */}
      {loading && data && <Progress aria-label="Refreshing traffic paths" />}
      {body}
    </InfoCard>
  );
}

export function TrafficPathContent(props: { variant: 'card' | 'page' }) {
  const { entity } = useEntity();
  // Nothing to ask the backend: the entity names no Kubernetes objects.
  if (!isTrafficPathAvailable(entity)) return <MissingAnnotation />;
  return <Body variant={props.variant} />;
}

export function EntityTrafficPathCard() {
  return <TrafficPathContent variant="card" />;
}

export function EntityTrafficPathPage() {
  return <TrafficPathContent variant="page" />;
}
