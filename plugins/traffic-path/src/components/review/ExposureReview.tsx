/*
 * The ownership review: every entry point of an owner's or a system's
 * components (or of every component, on the page) from the stored
 * summaries, with who may reach it, sortable and filterable, and the same
 * as a CSV or Markdown report. Each row links to the entity's Traffic
 * Path tab for the whole way.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
  TableProps,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { exposureApiRef, ExposureQuery, ExposureReportFormat } from '../../api';
import { TrafficPathColours, useTrafficPathColours } from '../colours';
import { severityLook, Tone, wordsOf } from '../status';
import {
  allowlistText,
  entryPointText,
  filterRows,
  loadBalancerText,
  noFilters,
  pageOf,
  restrictionText,
  ReviewFilters,
  ReviewRow,
  rowsOf,
  valuesOf,
} from './rows';
import { startOfDay, timeAgo } from './time';

/** Whose entry points: everything the user may read, one group's, or one system's. */
export type ReviewScope =
  | { kind: 'all' }
  | { kind: 'owner'; ownerRef: string }
  | { kind: 'system'; systemRef: string };

type TableRow = ReviewRow & {
  entryPoint: string;
  exposureWord: string;
  lbText: string;
  restriction: string;
  allowlist: string;
  tlsWord: string;
  networkPolicyWord: string;
  /** Errors, then warnings, then infos: the findings column sorts by it. */
  findingsRank: number;
  lastSeen: number;
};

/** The table's remote data: a function of its query (search, sort, page). */
type RemoteData = Extract<TableProps<TableRow>['data'], Function>;

const PAGE_SIZE = 50;

const tlsWords: Record<string, string> = { true: 'TLS', false: 'no TLS' };

function tableRowOf(row: ReviewRow): TableRow {
  const entry = row.entry;
  const seen = row.scannedAt ? Date.parse(row.scannedAt) : NaN;
  return {
    ...row,
    entryPoint: entryPointText(entry),
    exposureWord: entry ? entry.exposure : '',
    lbText: loadBalancerText(entry),
    restriction: entry ? restrictionText(entry) : '',
    allowlist: entry ? allowlistText(entry) : '',
    tlsWord: entry ? tlsWords[String(entry.tls)] : '',
    networkPolicyWord: entry
      ? wordsOf(entry.networkPolicy?.verdict ?? 'unknown')
      : '',
    findingsRank:
      row.findings.error * 1e6 + row.findings.warning * 1e3 + row.findings.info,
    lastSeen: Number.isNaN(seen) ? 0 : seen,
  };
}

/**
 * A hostname and path that wraps only after a dot, slash or hyphen, never
 * inside a label: `www.shop.` / `example.org/` / `legacy`.
 */
export function breakable(text: string): React.ReactNode[] {
  return text
    .split(/(?<=[./-])/)
    .flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

/** The columns the card on a Group's or System's page keeps, so that it fits half a page. */
const cardColumns = new Set<string>([
  'entityRef',
  'entryPoint',
  'exposureWord',
  'restriction',
  'findingsRank',
]);

function Toned(props: { tone: Tone; children: React.ReactNode }) {
  const colours = useTrafficPathColours();
  return (
    <Box component="span" sx={{ color: colours.tone[props.tone] }}>
      {props.children}
    </Box>
  );
}

function exposureTone(row: TableRow): Tone {
  if (row.entry?.exposure === 'public')
    return row.openToInternet ? 'error' : 'warning';
  return row.entry?.exposure === 'internal' ? 'ok' : 'neutral';
}

/** A change that lets more in (or breaks something) warns; one that closes or repairs is good. */
export function impactTone(impact: string): Tone {
  if (impact === 'risk') return 'warning';
  return impact === 'improvement' ? 'ok' : 'neutral';
}

const verdictTones: Record<string, Tone> = {
  allowed: 'ok',
  'partly-blocked': 'warning',
  blocked: 'error',
};

function tlsTone(entry: { tls: boolean; exposure: string }): Tone {
  if (entry.tls) return 'ok';
  return entry.exposure === 'public' ? 'warning' : 'neutral';
}

const exposureIcon: Record<string, string> = {
  public: '◉',
  internal: '◎',
  unknown: '?',
};

function FindingCounts(props: { row: TableRow; colours: TrafficPathColours }) {
  const { findings } = props.row;
  const parts = (['error', 'warning', 'info'] as const).filter(
    s => findings[s] > 0,
  );
  if (!props.row.entry) return null;
  if (parts.length === 0) return <span>none</span>;
  return (
    <Box
      component="span"
      sx={{ display: 'flex', columnGap: 1, flexWrap: 'wrap' }}
    >
      {parts.map((s, i) => {
        const look = severityLook(s);
        return (
          <Box
            component="span"
            key={s}
            sx={{ color: props.colours.tone[look.tone], whiteSpace: 'nowrap' }}
          >
            {look.icon} {findings[s]} {look.word}
            {findings[s] === 1 ? '' : 's'}
            {i < parts.length - 1 ? ', ' : ''}
          </Box>
        );
      })}
    </Box>
  );
}

function download(fileName: string, content: Blob) {
  const url = URL.createObjectURL(content);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser the moment it needs to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export type ExposureReviewProps = {
  scope: ReviewScope;
  /** The card shows fewer columns and no owner filter. */
  variant?: 'page' | 'card';
};

export function ExposureReview(props: ExposureReviewProps) {
  const { scope, variant = 'page' } = props;
  const exposureApi = useApi(exposureApiRef);
  const entityLink = useEntityRefLink();
  const colours = useTrafficPathColours();
  const [filters, setFilters] = useState<ReviewFilters>(noFilters);
  const [indirect, setIndirect] = useState(false);
  const [changedSinceDay, setChangedSinceDay] = useState('');
  const [downloadError, setDownloadError] = useState<Error>();
  const changedSince = startOfDay(changedSinceDay);

  const scopeKey = JSON.stringify(scope);
  // What the backend is asked for: the scope's summaries (a group card's own, or with its child groups).
  const query = useMemo((): ExposureQuery => {
    if (scope.kind === 'system') return { systems: [scope.systemRef] };
    if (scope.kind === 'owner')
      return {
        owners: [scope.ownerRef],
        ...(indirect ? { ownership: 'indirect' as const } : {}),
      };
    return {};
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scopeKey, indirect]);
  // On the page, owners picked with indirect ownership are asked of the backend, which walks
  // their child groups in the catalog; a direct owner filter stays in the browser.
  const ownersKey = filters.owners.join(' ');
  const ownersQuery = useMemo(
    (): ExposureQuery | undefined =>
      scope.kind === 'all' && indirect && filters.owners.length > 0
        ? { owners: filters.owners, ownership: 'indirect' }
        : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scope.kind, indirect, ownersKey],
  );

  const exposure = useAsync(
    () => exposureApi.getExposure(query),
    [query, exposureApi],
  );
  const owned = useAsync(
    async () =>
      ownersQuery ? exposureApi.getExposure(ownersQuery) : undefined,
    [ownersQuery, exposureApi],
  );

  const changes = useAsync(async () => {
    if (!changedSince) return undefined;
    const { publicOnly: _ignored, ...whose } = query;
    return exposureApi.getExposureChanges({
      ...whose,
      since: changedSince,
      limit: 5000,
    });
  }, [query, changedSince, exposureApi]);

  // Every row of the scope once, with what its columns show: filters and sorting then only pick.
  const allRows = useMemo(
    () =>
      rowsOf(exposure.value?.items ?? [], changes.value?.items ?? []).map(
        tableRowOf,
      ),
    [exposure.value, changes.value],
  );
  const ownedRows = useMemo(
    () =>
      owned.value
        ? rowsOf(owned.value.items, changes.value?.items ?? []).map(tableRowOf)
        : undefined,
    [owned.value, changes.value],
  );
  const rows = useMemo(
    () =>
      filterRows(ownedRows ?? allRows, {
        ...filters,
        // The backend already chose the owners' rows (with their child groups).
        owners: ownedRows ? [] : filters.owners,
        ...(changedSince ? { changedSince } : {}),
      }),
    [allRows, ownedRows, filters, changedSince],
  );

  const error = exposure.error ?? owned.error ?? changes.error;
  const loading = exposure.loading || owned.loading || changes.loading;

  const reportQuery = (): ExposureQuery => {
    if (scope.kind === 'all' && filters.owners.length > 0)
      return ownersQuery ?? { owners: filters.owners };
    return query;
  };

  const onDownload = async (format: ExposureReportFormat) => {
    setDownloadError(undefined);
    try {
      const report = await exposureApi.getExposureReport({
        ...reportQuery(),
        ...(filters.publicOnly ? { publicOnly: true } : {}),
        format,
      });
      download(report.fileName, report.content);
    } catch (e) {
      setDownloadError(e as Error);
    }
  };

  const set = (patch: Partial<ReviewFilters>) =>
    setFilters(f => ({ ...f, ...patch }));

  // Kept between renders: the table re-reads its columns (and its rows) whenever they change.
  const columns = useMemo(
    (): TableColumn<TableRow>[] =>
      (
        [
          {
            title: 'Component',
            field: 'entityRef',
            highlight: true,
            // On the card's shared widths, room for a name such as storefront-reviews.
            ...(variant === 'card' ? { width: '28%' } : {}),
            render: row => (
              <Box>
                <EntityRefLink
                  entityRef={row.entityRef}
                  defaultKind="component"
                />
                <Box>
                  <Link
                    to={`${entityLink(row.entityRef)}/traffic-path`}
                    aria-label={`Traffic Path of ${row.entityRef}`}
                  >
                    Traffic Path
                  </Link>
                </Box>
              </Box>
            ),
          },
          {
            title: 'Entry point',
            field: 'entryPoint',
            cellStyle: { minWidth: variant === 'page' ? 150 : 110 },
            render: row =>
              row.entry ? (
                <code>{breakable(row.entryPoint)}</code>
              ) : (
                <Toned tone="neutral">{row.entryPoint}</Toned>
              ),
          },
          {
            title: 'Exposure',
            field: 'exposureWord',
            render: row =>
              row.entry ? (
                <Box>
                  <Toned tone={exposureTone(row)}>
                    {exposureIcon[row.exposureWord] ?? '?'} {row.exposureWord}
                  </Toned>
                  {/* The card has no TLS column: its word goes under the exposure. */}
                  {variant === 'card' ? (
                    <Box>
                      <Toned tone={tlsTone(row.entry)}>
                        {row.entry.tls ? '✓' : '!'} {row.tlsWord}
                      </Toned>
                    </Box>
                  ) : null}
                </Box>
              ) : null,
          },
          { title: 'Load balancer', field: 'lbText' },
          {
            title: 'Source restriction',
            field: 'restriction',
            render: row =>
              row.openToInternet ? (
                <Toned tone="error">✕ {row.restriction}</Toned>
              ) : (
                row.restriction
              ),
          },
          {
            title: 'TLS',
            field: 'tlsWord',
            render: row =>
              row.entry ? (
                <Toned tone={tlsTone(row.entry)}>
                  {row.entry.tls ? '✓' : '!'} {row.tlsWord}
                </Toned>
              ) : null,
          },
          { title: 'Ingress allowlist', field: 'allowlist' },
          {
            title: 'NetworkPolicy',
            field: 'networkPolicyWord',
            render: row => {
              if (!row.entry) return null;
              const verdict = row.entry.networkPolicy?.verdict ?? 'unknown';
              const tone: Tone = verdictTones[verdict] ?? 'neutral';
              return <Toned tone={tone}>{row.networkPolicyWord}</Toned>;
            },
          },
          {
            title: 'Findings',
            field: 'findingsRank',
            type: 'numeric',
            align: 'left',
            render: row => <FindingCounts row={row} colours={colours} />,
          },
          { title: 'Cluster', field: 'cluster' },
          ...(variant === 'page'
            ? [
                {
                  title: 'Owner',
                  field: 'owner',
                  render: (row: TableRow) =>
                    row.owner ? (
                      <EntityRefLink
                        entityRef={row.owner}
                        defaultKind="group"
                      />
                    ) : (
                      'unknown'
                    ),
                } as TableColumn<TableRow>,
              ]
            : []),
          {
            title: 'Last seen',
            field: 'lastSeen',
            type: 'numeric',
            align: 'left',
            defaultSort: 'desc',
            render: row => (
              <Box>
                <span title={row.scannedAt}>
                  {row.scannedAt ? timeAgo(row.scannedAt) : 'not seen yet'}
                </span>
                {row.scanError ? (
                  <Box>
                    <Toned tone="warning">
                      ! last scan failed: {row.scanError}
                    </Toned>
                  </Box>
                ) : null}
                {row.changes.slice(0, 3).map((c, i) => (
                  <Box key={i} sx={{ fontSize: '0.85em' }}>
                    <Toned tone={impactTone(c.change.impact)}>
                      {timeAgo(c.at)}: {c.change.message}
                    </Toned>
                  </Box>
                ))}
              </Box>
            ),
          },
        ] as TableColumn<TableRow>[]
      ).filter(c => variant === 'page' || cardColumns.has(String(c.field))),
    [variant, colours, entityLink],
  );

  // The table renders one page: search, sort and paging run here over all rows (thousands), as
  // its remote data, instead of the table copying and comparing every row on each change.
  const tableRef = useRef<{ onQueryChange?: () => void }>();
  const rowsNow = useRef(rows);
  rowsNow.current = rows;
  const searchFields = useMemo(
    () =>
      columns
        .map(c => c.field)
        .filter((f): f is keyof TableRow & string => typeof f === 'string'),
    [columns],
  );
  const data = useCallback<RemoteData>(
    async tableQuery =>
      pageOf(rowsNow.current, {
        search: tableQuery.search ?? '',
        searchFields,
        orderBy: tableQuery.orderBy?.field as keyof TableRow | undefined,
        orderType:
          tableQuery.orderBy?.type === 'numeric' ? 'numeric' : 'string',
        orderDirection: tableQuery.orderDirection ?? '',
        page: tableQuery.page,
        pageSize: tableQuery.pageSize,
      }),
    [searchFields],
  );
  useEffect(() => {
    tableRef.current?.onQueryChange?.();
  }, [rows]);

  const owners = useMemo(() => valuesOf(allRows, 'owner'), [allRows]);
  const clusters = useMemo(() => valuesOf(allRows, 'cluster'), [allRows]);
  const nothingStored = !loading && allRows.length === 0;

  return (
    <Box>
      <Box
        role="group"
        aria-label="Filters"
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 2,
          alignItems: 'center',
          mb: 2,
        }}
      >
        {variant === 'page' ? (
          <Autocomplete
            multiple
            size="small"
            options={owners}
            value={filters.owners}
            onChange={(_e, value) => set({ owners: value })}
            sx={{ minWidth: 240 }}
            renderInput={params => <TextField {...params} label="Owner" />}
          />
        ) : null}
        <Autocomplete
          multiple
          size="small"
          options={clusters}
          value={filters.clusters}
          onChange={(_e, value) => set({ clusters: value })}
          sx={{ minWidth: 200 }}
          renderInput={params => <TextField {...params} label="Cluster" />}
        />
        {scope.kind !== 'system' ? (
          <FormControlLabel
            control={
              <Switch
                name="indirect"
                checked={indirect}
                onChange={e => setIndirect(e.target.checked)}
              />
            }
            label="Child groups too"
          />
        ) : null}
        <FormControlLabel
          control={
            <Switch
              name="publicOnly"
              checked={filters.publicOnly}
              onChange={e => set({ publicOnly: e.target.checked })}
            />
          }
          label="Public only"
        />
        <FormControlLabel
          control={
            <Switch
              name="openToInternet"
              checked={filters.openToInternet}
              onChange={e => set({ openToInternet: e.target.checked })}
            />
          }
          label="Open to the internet"
        />
        <FormControlLabel
          control={
            <Switch
              name="withErrors"
              checked={filters.withErrors}
              onChange={e => set({ withErrors: e.target.checked })}
            />
          }
          label="With errors"
        />
        <TextField
          size="small"
          type="date"
          label="Changed since"
          value={changedSinceDay}
          onChange={e => setChangedSinceDay(e.target.value)}
          InputLabelProps={{ shrink: true }}
        />
        <Box sx={{ display: 'flex', gap: 1, ml: 'auto' }}>
          <Button variant="outlined" onClick={() => onDownload('csv')}>
            Download CSV
          </Button>
          <Button variant="outlined" onClick={() => onDownload('markdown')}>
            Download Markdown
          </Button>
        </Box>
      </Box>
      {downloadError ? (
        <Box sx={{ mb: 2 }}>
          <ResponseErrorPanel
            title="The report could not be downloaded"
            error={downloadError}
          />
        </Box>
      ) : null}
      {error ? (
        <ResponseErrorPanel
          title="The exposure summaries could not be read"
          error={error}
        />
      ) : (
        <Table<TableRow>
          tableRef={tableRef}
          title={variant === 'page' ? 'Entry points' : undefined}
          subtitle={
            loading
              ? undefined
              : `${rows.length} of ${allRows.length} entry points`
          }
          isLoading={loading}
          data={data}
          columns={columns}
          options={{
            padding: 'dense',
            // A few rows need no pager (a Group's card, mostly).
            paging: rows.length > PAGE_SIZE,
            pageSize: PAGE_SIZE,
            pageSizeOptions: [20, PAGE_SIZE, 100, 500],
            search: true,
            toolbar: true,
            thirdSortClick: false,
            // The card's columns share its width (and wrap) instead of scrolling sideways.
            ...(variant === 'card' ? { tableLayout: 'fixed' as const } : {}),
          }}
          localization={{
            body: {
              emptyDataSourceMessage: nothingStored
                ? 'No stored summaries yet: no component here has Kubernetes annotations, or the first scan has not run.'
                : 'No entry point matches these filters.',
            },
          }}
        />
      )}
      <Typography variant="caption" color="text.secondary" component="p">
        The reports hold the entry points of{' '}
        {filters.owners.length > 0 || scope.kind !== 'all'
          ? 'the owners or system shown'
          : 'every component you may see'}
        {filters.publicOnly ? ' that are public' : ''}; the cluster, internet,
        error and change filters apply to the table only.
      </Typography>
    </Box>
  );
}
