/*
 * Calls the backend's exposure API through fetchApi, so the user's
 * Backstage token goes with every request (the reports too: they are
 * fetched here and handed to the page as a Blob, never opened as a bare
 * link the browser would send without the token).
 */
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ExposureAnswer,
  ExposureApi,
  ExposureChangesAnswer,
  ExposureChangesQuery,
  ExposureQuery,
  ExposureReport,
  ExposureReportFormat,
} from './ExposureApi';

/** The query string of a query: repeated `owner=` and `system=`, as the backend reads them. */
export function exposureSearchParams(
  query: ExposureQuery &
    ExposureChangesQuery & { format?: ExposureReportFormat },
): URLSearchParams {
  const params = new URLSearchParams();
  for (const owner of query.owners ?? []) params.append('owner', owner);
  for (const system of query.systems ?? []) params.append('system', system);
  if (query.ownership === 'indirect' && query.owners?.length)
    params.set('ownership', 'indirect');
  if (query.publicOnly) params.set('publicOnly', 'true');
  for (const ref of query.entityRefs ?? []) params.append('entityRef', ref);
  if (query.since) params.set('since', query.since);
  if (query.limit) params.set('limit', String(query.limit));
  if (query.format) params.set('format', query.format);
  return params;
}

function fileNameOf(response: Response, format: ExposureReportFormat): string {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (match) return decodeURIComponent(match[1]);
  return `traffic-path-exposure.${format === 'csv' ? 'csv' : 'md'}`;
}

export class ExposureClient implements ExposureApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get(path: string, params: URLSearchParams): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl('traffic-path');
    const search = params.toString();
    const response = await this.deps.fetchApi.fetch(
      `${base}/v1/${path}${search ? `?${search}` : ''}`,
    );
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      // Say what the backend said (a bad owner ref, a missing permission), not only the status.
      const detail = error.body?.error?.message;
      if (detail) error.message = `${detail} (HTTP ${response.status})`;
      throw error;
    }
    return response;
  }

  async getExposure(query: ExposureQuery): Promise<ExposureAnswer> {
    const response = await this.get('exposure', exposureSearchParams(query));
    return (await response.json()) as ExposureAnswer;
  }

  async getExposureChanges(
    query: ExposureChangesQuery,
  ): Promise<ExposureChangesAnswer> {
    const response = await this.get(
      'exposure/changes',
      exposureSearchParams(query),
    );
    return (await response.json()) as ExposureChangesAnswer;
  }

  async getExposureReport(
    query: ExposureQuery & { format: ExposureReportFormat },
  ): Promise<ExposureReport> {
    const response = await this.get('exposure', exposureSearchParams(query));
    return {
      format: query.format,
      fileName: fileNameOf(response, query.format),
      content: await response.blob(),
    };
  }
}
