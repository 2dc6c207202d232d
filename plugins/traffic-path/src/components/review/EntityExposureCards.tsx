/*
 * The review on entity pages: a Group's or a System's entry points, and a
 * Component's recent exposure changes.
 */
import useAsync from 'react-use/esm/useAsync';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { exposureApiRef } from '../../api';
import { useTrafficPathColours } from '../colours';
import { ExposureReview, impactTone } from './ExposureReview';
import { timeAgo } from './time';

/** The review card applies to Groups (what they own) and Systems (what is part of them). */
export function isExposureReviewAvailable(entity: { kind: string }): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return kind === 'group' || kind === 'system';
}

/** A Group's or System's entry points, for its entity page. */
export function EntityExposureCard() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  const isSystem = entity.kind.toLocaleLowerCase('en-US') === 'system';
  return (
    <InfoCard
      title="Traffic Path: entry points"
      subheader={
        isSystem
          ? 'What of this system is reachable, and from where'
          : 'What this group owns is reachable, and from where'
      }
    >
      <ExposureReview
        scope={
          isSystem
            ? { kind: 'system', systemRef: ref }
            : { kind: 'owner', ownerRef: ref }
        }
        variant="card"
      />
    </InfoCard>
  );
}

/** How many of a component's changes the card lists. */
const RECENT_CHANGES = 10;

/** A Component's recent exposure changes, for its entity page. */
export function EntityExposureChangesCard() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  const exposureApi = useApi(exposureApiRef);
  const colours = useTrafficPathColours();
  const changes = useAsync(
    () =>
      exposureApi.getExposureChanges({
        entityRefs: [ref],
        limit: RECENT_CHANGES,
      }),
    [ref, exposureApi],
  );
  return (
    <InfoCard title="Traffic Path: recent changes">
      {changes.loading ? <Progress /> : null}
      {changes.error ? (
        <ResponseErrorPanel
          title="The changes could not be read"
          error={changes.error}
        />
      ) : null}
      {changes.value && changes.value.items.length === 0 ? (
        <Typography variant="body2">
          No change of its entry points recorded yet.
        </Typography>
      ) : null}
      {changes.value && changes.value.items.length > 0 ? (
        <List dense aria-label="Recent changes">
          {changes.value.items.slice(0, RECENT_CHANGES).map((c, i) => {
            const tone = impactTone(c.change.impact);
            return (
              <ListItem
                key={`${c.at}-${i}`}
                sx={{
                  display: 'block',
                  borderLeft: `4px solid ${colours.tone[tone]}`,
                  mb: 1,
                  pl: 1.5,
                }}
              >
                <Typography variant="body2">{c.change.message}</Typography>
                <Typography variant="caption" color="text.secondary">
                  <Box component="span" title={c.at}>
                    {timeAgo(c.at)}
                  </Box>{' '}
                  in {c.cluster}
                </Typography>
              </ListItem>
            );
          })}
        </List>
      ) : null}
    </InfoCard>
  );
}
