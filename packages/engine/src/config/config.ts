import { KaivoError } from "@kaivo/codegen";

/** The config file after validation, with defaults and environment applied. */
export interface KaivoConfig {
  /** Absolute path of the file it came from (or "<defaults>"). */
  file: string;
  /** The app registration; only the commands that call Graph need it (see requireGraphApp). */
  tenantId: string | undefined;
  clientId: string | undefined;
  /** Where each id was given, for errors: the environment variable, or the file's field (the default). */
  idsFrom?: { tenantId: string; clientId: string };
  userId: string | undefined;
  graph: { baseUrl: string | undefined; loginUrl: string | undefined; caFile: string | undefined; maxConcurrency: number | undefined; resourceUnitsPer10s: number | undefined };
  /** Selected tables with their columns (undefined = all declared), or undefined for the defaults. */
  tables: Record<string, { columns: string[] | undefined }> | undefined;
  sync: { batchRows: number | undefined; concurrency: number | undefined };
  warehouse: DuckDbWarehouseConfig | BigQueryWarehouseConfig;
}

/** A config that names the app registration Kaivo signs in to Graph as. */
export type GraphConfig = KaivoConfig & { tenantId: string; clientId: string };

export interface DuckDbWarehouseConfig {
  type: "duckdb";
  path: string;
  schema: string;
  modelsSchema: string;
}

export interface BigQueryWarehouseConfig {
  type: "bigquery";
  project: string;
  dataset: string;
  modelsDataset: string;
  location: string;
  keyFile: string | undefined;
  apiEndpoint: string | undefined;
}

/** A problem with the config file, a flag or an environment variable. Nothing has been written. */
export class ConfigError extends KaivoError {
  constructor(
    readonly where: string,
    message: string,
    hint?: string,
  ) {
    super("KAIVO_CONFIG_INVALID", "config", `${where}: ${message}`, hint === undefined ? {} : { hint });
  }
}

/**
 * The config, for a command that calls Graph: it must name the app registration. Commands that
 * only read the warehouse (build, sql, state) never ask, so an analyst needs no app details.
 */
export function requireGraphApp(config: KaivoConfig): GraphConfig {
  const { tenantId, clientId } = config;
  const tenantAt = config.idsFrom?.tenantId ?? `${config.file} at /tenantId`;
  const clientAt = config.idsFrom?.clientId ?? `${config.file} at /clientId`;
  const tenantHint = "Set tenantId in the config file or AZURE_TENANT_ID in the environment: the Directory (tenant) ID on the app registration's Overview page.";
  const clientHint = "Set clientId in the config file or AZURE_CLIENT_ID in the environment: the Application (client) ID on the app registration's Overview page.";
  if (!tenantId) throw new ConfigError(tenantAt, "no tenant id", tenantHint);
  if (tenantId === PLACEHOLDER_ID) throw new ConfigError(tenantAt, "still the placeholder `kaivo init` wrote", tenantHint);
  // Checked before it goes into the login URL's path; a secret pasted here must not travel there.
  if (!isObjectId(tenantId) && !isDomainName(tenantId)) throw new ConfigError(tenantAt, `${quotedIfHarmless(tenantId)}is not a tenant id (a GUID) or a domain name${secretWarning(tenantId)}`, tenantHint);
  if (!clientId) throw new ConfigError(clientAt, "no client id", clientHint);
  if (clientId === PLACEHOLDER_ID) throw new ConfigError(clientAt, "still the placeholder `kaivo init` wrote", clientHint);
  if (!isObjectId(clientId)) throw new ConfigError(clientAt, `${quotedIfHarmless(clientId)}is not an application (client) id, which is a GUID${secretWarning(clientId)}`, clientHint);
  return { ...config, tenantId, clientId };
}

/**
 * A mistyped id is quoted back when it looks like one (short groups of letters and digits between
 * dashes, or a domain name); anything else may be the client secret pasted in the wrong place
 * (one has a ~, or a long run of characters), and is not repeated.
 */
function quotedIfHarmless(value: string): string {
  return /^[a-z0-9]{1,12}(-[a-z0-9]{1,12})*$/i.test(value) || isDomainName(value) ? `"${value}" ` : "";
}

function secretWarning(value: string): string {
  return quotedIfHarmless(value) === "" ? " (it is not shown: if it is the client secret, it belongs in AZURE_CLIENT_SECRET)" : "";
}

/** A verified domain of a tenant, such as contoso.onmicrosoft.com, which names it as well as its GUID does. */
function isDomainName(value: string): boolean {
  return /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value);
}

/** What `kaivo init` writes for the ids a user must fill in. */
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

/** Entra object and application ids are GUIDs. */
export function isObjectId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
