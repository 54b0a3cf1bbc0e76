import { Ajv, type ErrorObject } from "ajv";
import { describeSchemaErrors, loadDeclarations, parseJsonText, toColumns, type TableDeclaration } from "@kaivo/codegen";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError, type KaivoConfig } from "./config.js";

import configSchema from "./config-schema.json" with { type: "json" };

const validateConfig = new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true }).compile(configSchema);

export const DEFAULT_CONFIG_FILE = "kaivo.json";

/** Environment variables the Azure SDKs use; they override the file. */
export interface ConfigEnvironment {
  AZURE_TENANT_ID?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
  AZURE_CLIENT_SECRET?: string | undefined;
}

/**
 * Reads and validates a config file. Errors name the file and the field (JSON pointer) and say
 * what to do. Environment variables AZURE_TENANT_ID and AZURE_CLIENT_ID fill or override the file.
 */
export function loadConfig(file: string, env: ConfigEnvironment, declarations: readonly TableDeclaration[]): KaivoConfig {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new ConfigError(file, "no such config file", "Create one with `npx kaivo init`, or pass --config <file>.");
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, code === "EISDIR" ? "is a folder, not a config file" : `cannot be read (${code ?? String(error)})`, "Pass --config the path of the JSON config file (`npx kaivo init` writes one), readable by this user.");
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(file, `is not valid JSON: ${parsed.reason}`);
  const raw = parsed.value;
  if (raw !== null && typeof raw === "object" && "clientSecret" in raw) {
    throw new ConfigError(`${file} at /clientSecret`, "secrets do not belong in the config file", "Remove it and set AZURE_CLIENT_SECRET in the environment instead.");
  }
  if (!validateConfig(raw)) {
    const first = describeSchemaErrors(validateConfig.errors, configWording)[0] ?? { pointer: "/", message: "is invalid" };
    throw new ConfigError(`${file} at ${first.pointer}`, first.message);
  }
  return resolveConfig(raw as RawConfig, path, env, declarations);
}

/** The config's own wording for the mistakes people make in it. */
function configWording(error: ErrorObject, params: Record<string, unknown>): string | undefined {
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown field "${String(params.additionalProperty)}"`;
    case "discriminator":
      return `unknown warehouse type; use "duckdb" or "bigquery"`;
    case "minItems":
      return "is empty: name at least one, or leave the field out for all of them";
    case "minProperties":
      return "is empty: name at least one table, or leave the field out for every default table";
    case "pattern":
      if (error.instancePath === "/warehouse/project") return `"${String(error.data)}" is not a Google Cloud project ID (6 to 30 lowercase letters, digits and hyphens, starting with a letter; the ID, not the project's name)`;
      if (error.instancePath === "/warehouse/apiEndpoint") return `"${String(error.data)}" is not an http(s) URL`;
      if (error.instancePath === "/graph/baseUrl" || error.instancePath === "/graph/loginUrl") return `"${String(error.data)}" is not an https URL: Graph and its login host answer over HTTPS only`;
      if (/^\/warehouse\/(schema|modelsSchema)$/.test(error.instancePath)) return `"${String(error.data)}" is not a plain schema name (letters, digits and underscores, not starting with a digit)`;
      if (/^\/warehouse\/(dataset|modelsDataset)$/.test(error.instancePath)) return `"${String(error.data)}" is not a BigQuery dataset name (letters, digits and underscores)`;
      return undefined;
    default:
      return undefined;
  }
}

/** The config `kaivo demo` and tests use when no file is given. */
export function configFromValues(values: RawConfig, baseDir: string, env: ConfigEnvironment, declarations: readonly TableDeclaration[]): KaivoConfig {
  if (!validateConfig(values)) throw new ConfigError("<config>", validateConfig.errors?.[0]?.message ?? "invalid");
  return resolveConfig(values, resolve(baseDir, "<defaults>"), env, declarations);
}

export interface RawConfig {
  tenantId?: string;
  clientId?: string;
  userId?: string;
  graph?: { baseUrl?: string; loginUrl?: string; caFile?: string; maxConcurrency?: number; resourceUnitsPer10s?: number };
  tables?: Record<string, { columns?: string[] }>;
  sync?: { batchRows?: number; concurrency?: number };
  warehouse?: { type: "duckdb"; path?: string; schema?: string; modelsSchema?: string } | { type: "bigquery"; project: string; dataset?: string; modelsDataset?: string; location?: string; keyFile?: string; apiEndpoint?: string };
}

function resolveConfig(raw: RawConfig, path: string, env: ConfigEnvironment, declarations: readonly TableDeclaration[]): KaivoConfig {
  const file = path;
  const relative = (p: string) => (isAbsolute(p) ? p : resolve(dirname(path), p));
  checkGraphUrls(raw.graph ?? {}, file);
  // Pasted values often carry a space or a line break at either end; no id has one.
  const envTenantId = env.AZURE_TENANT_ID?.trim();
  const envClientId = env.AZURE_CLIENT_ID?.trim();
  const tenantId = envTenantId || raw.tenantId?.trim() || undefined;
  const clientId = envClientId || raw.clientId?.trim() || undefined;

  const byName = new Map(declarations.map((d) => [d.name, d]));
  if (raw.tables) {
    for (const [name, table] of Object.entries(raw.tables)) {
      const declaration = byName.get(name);
      if (!declaration) throw new ConfigError(`${file} at /tables/${name}`, `unknown table "${name}"`, `Declared tables: ${[...byName.keys()].join(", ")}.`);
      const known = new Set(toColumns(declaration).flatMap((c) => [c.graphName, c.name]));
      for (const column of table.columns ?? []) {
        if (!known.has(column)) throw new ConfigError(`${file} at /tables/${name}/columns`, `unknown column "${column}" of ${name}`, `See generated/bigquery/${name}.json or tables/${name}.json for its columns.`);
      }
    }
  }
  const w = raw.warehouse ?? { type: "duckdb" };
  return {
    file,
    tenantId,
    clientId,
    idsFrom: {
      tenantId: envTenantId ? "AZURE_TENANT_ID in the environment" : `${file} at /tenantId`,
      clientId: envClientId ? "AZURE_CLIENT_ID in the environment" : `${file} at /clientId`,
    },
    userId: raw.userId,
    graph: { baseUrl: raw.graph?.baseUrl, loginUrl: raw.graph?.loginUrl, caFile: raw.graph?.caFile ? relative(raw.graph.caFile) : undefined, maxConcurrency: raw.graph?.maxConcurrency, resourceUnitsPer10s: raw.graph?.resourceUnitsPer10s },
    sync: { batchRows: raw.sync?.batchRows, concurrency: raw.sync?.concurrency },
    tables: raw.tables ? Object.fromEntries(Object.entries(raw.tables).map(([k, v]) => [k, { columns: v.columns }])) : undefined,
    warehouse:
      w.type === "duckdb"
        ? { type: "duckdb", path: relative(w.path ?? "kaivo.duckdb"), schema: w.schema ?? "main", modelsSchema: w.modelsSchema ?? "main" }
        : { type: "bigquery", project: w.project, dataset: w.dataset ?? "entraid", modelsDataset: w.modelsDataset ?? w.dataset ?? "entraid", location: w.location ?? "US", keyFile: w.keyFile ? relative(w.keyFile) : undefined, apiEndpoint: w.apiEndpoint },
  };
}

/** The Graph and login URLs have the shape Kaivo builds on (the schema has checked they are https). */
function checkGraphUrls({ baseUrl, loginUrl }: NonNullable<RawConfig["graph"]>, file: string): void {
  const pathOf = (url: string) => (URL.canParse(url) ? new URL(url).pathname : url);
  // The declarations' paths are relative to Graph's v1.0 root; without the version Graph answers every request with an error.
  if (baseUrl !== undefined && !/\/v1\.0\/?$/.test(pathOf(baseUrl))) {
    throw new ConfigError(`${file} at /graph/baseUrl`, `"${baseUrl}" does not end with Graph's API version, /v1.0`, "Give Graph's root with its version, such as https://graph.microsoft.com/v1.0 (https://graph.microsoft.us/v1.0 for US Government).");
  }
  // The authority is <loginUrl>/<tenantId>: an authority pasted whole would name the tenant twice.
  if (loginUrl !== undefined && URL.canParse(loginUrl) && !/^\/?$/.test(pathOf(loginUrl))) {
    throw new ConfigError(`${file} at /graph/loginUrl`, `"${loginUrl}" has a path; Kaivo adds the tenant to the login host itself`, "Give the login host alone, such as https://login.microsoftonline.com (https://login.microsoftonline.us for US Government); the tenant comes from tenantId.");
  }
}

/** The client secret, from the environment only (without the space or line break a paste may add at either end). */
export function requireClientSecret(env: ConfigEnvironment): string {
  const secret = env.AZURE_CLIENT_SECRET?.trim();
  if (!secret) throw new ConfigError("AZURE_CLIENT_SECRET", "is not set", "Export the app registration's client secret as AZURE_CLIENT_SECRET; Kaivo never reads it from a file or flag.");
  return secret;
}

/** Default declarations folder handling lives in codegen; re-exported for the CLI's convenience. */
export { loadDeclarations };
