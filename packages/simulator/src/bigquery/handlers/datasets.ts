import { datasetResource } from "../catalog/resources.js";
import { BigQueryError, duplicate, invalid, notFound } from "../errors.js";
import { asObject, asString, jsonBody, NO_CONTENT, ok, param, type ApiRequest, type ApiResponse } from "../http/api.js";
import type { EmulatorServices } from "../services.js";
import { quoteIdent } from "../sql/tokens.js";

/** Fields of a dataset resource the server owns; everything else the client sends is stored and echoed. */
const SERVER_FIELDS = new Set(["kind", "etag", "id", "selfLink", "datasetReference", "creationTime", "lastModifiedTime", "location", "type", "access"]);

function clientFields(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !SERVER_FIELDS.has(k)));
}

export function missingDataset(services: EmulatorServices, datasetId: string): BigQueryError {
  return notFound(`Dataset ${services.projectId}:${datasetId}`);
}

export async function insertDataset(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const body = jsonBody(request);
  const datasetId = asString(asObject(body["datasetReference"])?.["datasetId"]);
  if (datasetId === undefined || !/^[A-Za-z0-9_]{1,1024}$/.test(datasetId)) {
    throw invalid(`Invalid dataset ID "${datasetId ?? ""}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`);
  }
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) !== undefined) throw duplicate(`Dataset ${services.projectId}:${datasetId}`);
    await connection.run(`CREATE SCHEMA ${quoteIdent(datasetId)}`);
    const meta = services.catalog.newDataset(datasetId);
    meta.location = asString(body["location"]) ?? services.location;
    meta.extra = clientFields(body);
    services.catalog.putDataset(meta);
    return ok(datasetResource(meta, services.projectId, services.baseUrl));
  });
}

export async function getDataset(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    const meta = services.catalog.dataset(datasetId);
    if (meta === undefined) throw missingDataset(services, datasetId);
    return ok(datasetResource(meta, services.projectId, services.baseUrl));
  });
}

export async function listDatasets(services: EmulatorServices): Promise<ApiResponse> {
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    const datasets = services.catalog.datasetIds().map((id) => {
      const meta = services.catalog.dataset(id);
      return {
        kind: "bigquery#dataset",
        id: `${services.projectId}:${id}`,
        datasetReference: { datasetId: id, projectId: services.projectId },
        location: meta?.location ?? services.location,
        ...(meta?.extra["labels"] !== undefined ? { labels: meta.extra["labels"] } : {}),
      };
    });
    return ok({ kind: "bigquery#datasetList", etag: "emulator", datasets });
  });
}

/** datasets.patch / datasets.update: labels, description, defaultTableExpirationMs, ... (null removes). */
export async function patchDataset(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const body = jsonBody(request);
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    const meta = services.catalog.dataset(datasetId);
    if (meta === undefined) throw missingDataset(services, datasetId);
    const location = asString(body["location"]);
    if (location !== undefined && location !== meta.location) throw invalid(`Cannot change dataset location from ${meta.location} to ${location}`);
    const updates = clientFields(body);
    const replace = request.method === "PUT";
    const next: Record<string, unknown> = replace ? {} : { ...meta.extra };
    for (const [k, v] of Object.entries(updates)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    meta.extra = next;
    meta.lastModifiedTime = Math.max(services.settings.now(), meta.lastModifiedTime + 1);
    return ok(datasetResource(meta, services.projectId, services.baseUrl));
  });
}

export async function deleteDataset(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const deleteContents = request.query.get("deleteContents") === "true";
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    if (!deleteContents && services.catalog.tablesIn(datasetId).length > 0) {
      throw new BigQueryError("resourceInUse", `Dataset ${services.projectId}:${datasetId} is still in use`);
    }
    await connection.run(`DROP SCHEMA ${quoteIdent(datasetId)}${deleteContents ? " CASCADE" : ""}`);
    await services.catalog.sync(connection);
    return NO_CONTENT;
  });
}
