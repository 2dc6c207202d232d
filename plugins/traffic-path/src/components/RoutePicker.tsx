/*
 * Which route to draw: the entity's domains (and other entry points) with
 * public/internal and TLS badges and their health, and the cluster when
 * there are several.
 */
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { Route } from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';
import { statusLook } from './status';

export type RouteChoice = { cluster: string; route: Route };

export const routeName = (route: Route) =>
  route.entry.host
    ? `${route.entry.host}${route.entry.path ?? ''}`
    : `${route.entry.object.kind} ${route.entry.object.namespace}/${
        route.entry.object.name
      }${route.entry.port ? `:${route.entry.port}` : ''}`;

/** A weighted backend's share: routes of one rule differ only by it. */
export const weightText = (route: Route) =>
  route.weight
    ? `${Math.round(route.weight.share * 100)}% to ${
        route.backend?.name ?? 'its backend'
      } (weight ${route.weight.weight})`
    : '';

export function RoutePicker(props: {
  choices: RouteChoice[];
  selected: number;
  onSelect(i: number): void;
}) {
  const colours = useTrafficPathColours();
  const multiCluster = new Set(props.choices.map(c => c.cluster)).size > 1;
  return (
    <TextField
      select
      size="small"
      label="Route"
      value={props.selected}
      onChange={e => props.onSelect(Number(e.target.value))}
      sx={{ minWidth: 360, maxWidth: '100%' }}
      SelectProps={{ inputProps: { 'aria-label': 'Route' } }}
    >
      {props.choices.map((c, i) => {
        const look = statusLook(c.route.health);
        return (
          <MenuItem key={`${c.cluster}-${c.route.id}`} value={i}>
            <Box display="flex" gap={1} alignItems="center" flexWrap="wrap">
              <span>{routeName(c.route)}</span>
              <Chip
                size="small"
                label={c.route.entry.exposure}
                color={
                  c.route.entry.exposure === 'public' ? 'warning' : 'default'
                }
                variant="outlined"
              />
              {c.route.entry.tls && (
                <Chip size="small" label="TLS" variant="outlined" />
              )}
              {c.route.weight && (
                <Chip
                  size="small"
                  label={weightText(c.route)}
                  variant="outlined"
                />
              )}
              {multiCluster && (
                <Chip
                  size="small"
                  label={`cluster ${c.cluster}`}
                  variant="outlined"
                />
              )}
              <Box
                component="span"
                sx={{ color: colours.tone[look.tone], fontWeight: 600 }}
              >
                {look.icon} {look.word}
              </Box>
            </Box>
          </MenuItem>
        );
      })}
    </TextField>
  );
}
