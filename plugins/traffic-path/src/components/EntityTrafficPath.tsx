/*
 * The entity card and the entity tab: load the entity's routes, show the
 * loading, empty (no annotation), per-cluster error and data states, and
 * refresh on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { EntityRoutes } from '@internal/plugin-traffic-path-common';
import { trafficPathApiRef } from '../api';
import { TrafficPathView } from './TrafficPathView';

const reasonText: Record<string, string> = {
  timeout: 'did not answer in time',
  unauthorized: 'refused the credentials',
  forbidden: 'forbids these reads',
  unreachable: 'could not be reached',
  'bad-response': 'sent an answer that could not be read',
  error: 'failed',
};

type State = { loading: boolean; data?: EntityRoutes; error?: Error };

function useEntityRoutes(entity: Entity, clientIp: string | undefined) {
  const api = useApi(trafficPathApiRef);
  const [state, setState] = useState<State>({ loading: true });
  const [generation, setGeneration] = useState(0);
  // Set by Refresh, taken by the next load only: it reads the clusters again, past the backend's cache.
  const refreshRequested = useRef(false);
  useEffect(() => {
    let current = true;
    const refresh = refreshRequested.current;
    refreshRequested.current = false;
    setState(s => ({ ...s, loading: true }));
    api.getRoutes({ entity, clientIp, ...(refresh ? { refresh } : {}) }).then(
      data => current && setState({ loading: false, data }),
      error => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [api, entity, clientIp, generation]);
  const refresh = useCallback(() => {
    refreshRequested.current = true;
    setGeneration(g => g + 1);
  }, []);
  return { ...state, refresh };
}

export function TrafficPathContent(props: { variant: 'card' | 'page' }) {
  const { entity } = useEntity();
  const [clientIp, setClientIp] = useState<string | undefined>();
  const { loading, data, error, refresh } = useEntityRoutes(entity, clientIp);
  // The entity page wherever the app mounts the catalog; the Kubernetes plugin's tab sits at `kubernetes` under it.
  const kubernetesTabUrl = `${useEntityRefLink()(entity)}/kubernetes`;

  const refreshButton = (
    <Button
      size="small"
      onClick={refresh}
      disabled={loading}
      aria-label="Refresh the traffic paths"
    >
      Refresh
    </Button>
  );
  let body: JSX.Element;
  if (error) {
    body = (
      <Alert severity="error">
        Traffic Path could not load the routes: {error.message}
      </Alert>
    );
  } else if (!data) {
    body = (
      <Typography variant="body2">Reading the entity's clusters…</Typography>
    );
  } else if (!data.configured) {
    body = (
      <Alert severity="info">
        This entity has no Kubernetes annotation, so Traffic Path does not know
        its objects. {data.hint}
        <Box component="pre" sx={{ mt: 1, mb: 0 }}>
          {`metadata:\n  annotations:\n    backstage.io/kubernetes-id: ${entity.metadata.name}`}
        </Box>
      </Alert>
    );
  } else {
    const failed = data.clusters.filter(
      (c): c is Extract<typeof c, { error: unknown }> => 'error' in c,
    );
    body = (
      <Box display="flex" flexDirection="column" gap={2}>
        {failed.map(c => (
          <Alert key={c.cluster} severity="warning" data-testid="cluster-error">
            Cluster {c.cluster} {reasonText[c.error.reason] ?? 'failed'}:{' '}
            {c.error.message}
          </Alert>
        ))}
        {data.clusters.length === 0 && (
          <Typography variant="body2">
            No cluster is configured for this entity.
          </Typography>
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
      action={refreshButton}
      noPadding={false}
    >
      {loading && <LinearProgress aria-label="Loading traffic paths" />}
      {body}
    </InfoCard>
  );
}

export function EntityTrafficPathCard() {
  return <TrafficPathContent variant="card" />;
}

export function EntityTrafficPathPage() {
  return <TrafficPathContent variant="page" />;
}
