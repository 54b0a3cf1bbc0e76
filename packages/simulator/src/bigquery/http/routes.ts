import { deleteDataset, getDataset, insertDataset, listDatasets, patchDataset } from "../handlers/datasets.js";
import { cancelJob, getJob, insertJob, listJobs } from "../handlers/jobs.js";
import { getQueryResults, query } from "../handlers/queries.js";
import { insertAll, listTableData } from "../handlers/tabledata.js";
import { deleteTable, getTable, insertTable, listTables, patchTable } from "../handlers/tables.js";
import { uploadJob } from "../handlers/upload.js";
import type { EmulatorServices } from "../services.js";
import type { ApiRequest, ApiResponse } from "./api.js";

export interface Route {
  readonly method: string;
  /** Path template under /bigquery/v2 (or /upload/bigquery/v2 for uploads); `:name` captures a segment. */
  readonly template: string;
  readonly upload?: boolean;
  /** REST method name, for the request log. */
  readonly operation: string;
  readonly handle: (services: EmulatorServices, request: ApiRequest) => Promise<ApiResponse>;
}

const P = "/projects/:project";

/** The BigQuery v2 REST surface the emulator serves (bigquery.md §4.5). */
export const ROUTES: readonly Route[] = [
  { method: "POST", template: `${P}/datasets`, operation: "datasets.insert", handle: insertDataset },
  { method: "GET", template: `${P}/datasets`, operation: "datasets.list", handle: (s) => listDatasets(s) },
  { method: "GET", template: `${P}/datasets/:dataset`, operation: "datasets.get", handle: getDataset },
  { method: "PATCH", template: `${P}/datasets/:dataset`, operation: "datasets.patch", handle: patchDataset },
  { method: "PUT", template: `${P}/datasets/:dataset`, operation: "datasets.update", handle: patchDataset },
  { method: "DELETE", template: `${P}/datasets/:dataset`, operation: "datasets.delete", handle: deleteDataset },
  { method: "POST", template: `${P}/datasets/:dataset/tables`, operation: "tables.insert", handle: insertTable },
  { method: "GET", template: `${P}/datasets/:dataset/tables`, operation: "tables.list", handle: listTables },
  { method: "GET", template: `${P}/datasets/:dataset/tables/:table`, operation: "tables.get", handle: getTable },
  { method: "PATCH", template: `${P}/datasets/:dataset/tables/:table`, operation: "tables.patch", handle: patchTable },
  { method: "PUT", template: `${P}/datasets/:dataset/tables/:table`, operation: "tables.update", handle: patchTable },
  { method: "DELETE", template: `${P}/datasets/:dataset/tables/:table`, operation: "tables.delete", handle: deleteTable },
  { method: "GET", template: `${P}/datasets/:dataset/tables/:table/data`, operation: "tabledata.list", handle: listTableData },
  { method: "POST", template: `${P}/datasets/:dataset/tables/:table/insertAll`, operation: "tabledata.insertAll", handle: insertAll },
  { method: "POST", template: `${P}/jobs`, operation: "jobs.insert", handle: insertJob },
  { method: "GET", template: `${P}/jobs`, operation: "jobs.list", handle: listJobs },
  { method: "GET", template: `${P}/jobs/:job`, operation: "jobs.get", handle: getJob },
  { method: "POST", template: `${P}/jobs/:job/cancel`, operation: "jobs.cancel", handle: cancelJob },
  { method: "POST", template: `${P}/queries`, operation: "jobs.query", handle: query },
  { method: "GET", template: `${P}/queries/:job`, operation: "jobs.getQueryResults", handle: getQueryResults },
  { method: "POST", template: `${P}/jobs`, upload: true, operation: "jobs.insert (upload)", handle: uploadJob },
];

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

const JSON_PREFIXES = ["/bigquery/v2", ""]; // "" serves BIGQUERY_EMULATOR_HOST-style paths (/projects/...)
const UPLOAD_PREFIX = "/upload/bigquery/v2";

export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const prefixes = route.upload === true ? [UPLOAD_PREFIX] : JSON_PREFIXES;
    for (const prefix of prefixes) {
      if (!path.startsWith(`${prefix}/`)) continue;
      const params = matchTemplate(route.template, path.slice(prefix.length));
      if (params !== undefined) return { route, params };
    }
  }
  return undefined;
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}
