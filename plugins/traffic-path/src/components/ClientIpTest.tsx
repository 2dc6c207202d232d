/*
 * "Test from client IP": the verdict per route for an address, and the
 * hop that blocks it, with the reason.
 */
import { FormEvent, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { hopTitle, parseIp, Route } from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';
import { Tone } from './status';

export function verdictText(
  route: Route,
): { icon: string; tone: Tone; text: string } | undefined {
  const v = route.verdict;
  if (!v) return undefined;
  if (v.allowed === true)
    return { icon: '✓', tone: 'ok', text: `allowed: ${v.reason}` };
  if (v.allowed === false)
    return {
      icon: '✕',
      tone: 'error',
      text: `blocked at the ${
        v.blockedAt ? hopTitle(v.blockedAt).toLowerCase() : 'unknown'
      } hop: ${v.reason}`,
    };
  return { icon: '?', tone: 'neutral', text: `unknown: ${v.reason}` };
}

export function ClientIpTest(props: {
  clientIp?: string;
  onTest(ip: string | undefined): void;
  routes: Route[];
  busy: boolean;
}) {
  const colours = useTrafficPathColours();
  const [value, setValue] = useState(props.clientIp ?? '');
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ip = value.trim();
    if (ip && !parseIp(ip)) {
      setError(`"${ip}" is not an IPv4 or IPv6 address`);
      return;
    }
    setError(undefined);
    props.onTest(ip || undefined);
  };
  return (
    <Box component="form" onSubmit={submit} aria-label="Test from client IP">
      <Box display="flex" gap={1} alignItems="flex-start">
        <TextField
          size="small"
          label="Client IP"
          placeholder="203.0.113.7 or 2001:db8::7"
          value={value}
          onChange={e => setValue(e.target.value)}
          error={!!error}
          helperText={
            error ??
            'Evaluates every rule on the way against the address it really sees'
          }
          inputProps={{ 'aria-label': 'Client IP' }}
        />
        <Button
          type="submit"
          variant="contained"
          size="medium"
          disabled={props.busy}
        >
          Test
        </Button>
        {props.clientIp && (
          <Button
            size="medium"
            onClick={() => {
              setValue('');
              props.onTest(undefined);
            }}
          >
            Clear
          </Button>
        )}
      </Box>
      {props.clientIp && (
        <Box mt={1} aria-live="polite">
          {props.routes.map(route => {
            const v = verdictText(route);
            return (
              v && (
                <Typography
                  key={route.id}
                  variant="body2"
                  data-testid="verdict"
                  sx={{ color: colours.tone[v.tone] }}
                >
                  {v.icon} {route.entry.host ?? route.entry.object.name}
                  {route.entry.path ?? ''} from {props.clientIp}: {v.text}
                </Typography>
              )
            );
          })}
        </Box>
      )}
    </Box>
  );
}
