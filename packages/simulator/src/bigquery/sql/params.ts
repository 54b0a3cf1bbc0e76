import { formatMicros, parseTimestampMicros } from "../load/timestamp.js";
import { quoteIdent, quoteString } from "./tokens.js";
import { SqlTranslationError, unsupported } from "./translation-error.js";
import { SCALAR_TYPES } from "./types.js";

/** BigQuery REST QueryParameter (jobs.query `queryParameters`). */
export interface QueryParameterType {
  readonly type: string;
  readonly arrayType?: QueryParameterType;
  readonly structTypes?: readonly { readonly name?: string; readonly type: QueryParameterType }[];
}
export interface QueryParameterValue {
  readonly value?: string | null;
  readonly arrayValues?: readonly QueryParameterValue[];
  readonly structValues?: Readonly<Record<string, QueryParameterValue>>;
}
export interface QueryParameter {
  readonly name?: string;
  readonly parameterType: QueryParameterType;
  readonly parameterValue?: QueryParameterValue;
}

/** DuckDB type text for a parameter type. */
export function parameterDuckType(type: QueryParameterType): string {
  const name = type.type.toUpperCase();
  if (name === "ARRAY") {
    if (type.arrayType === undefined) throw unsupported("ARRAY parameter without arrayType");
    return `${parameterDuckType(type.arrayType)}[]`;
  }
  if (name === "STRUCT") {
    const fields = (type.structTypes ?? []).map((f, i) => `${quoteIdent(f.name ?? `_field_${i + 1}`)} ${parameterDuckType(f.type)}`);
    return `STRUCT(${fields.join(", ")})`;
  }
  const duck = SCALAR_TYPES[name];
  if (duck === undefined) throw unsupported(`query parameter of type ${name}`);
  return duck;
}

/** A DuckDB literal expression for a parameter value (inlined: scripts cannot use prepared-statement binding). */
export function parameterLiteral(type: QueryParameterType, value: QueryParameterValue | undefined): string {
  const duck = parameterDuckType(type);
  const name = type.type.toUpperCase();
  if (name === "ARRAY") {
    const items = (value?.arrayValues ?? []).map((v) => parameterLiteral(type.arrayType as QueryParameterType, v));
    return `CAST([${items.join(", ")}] AS ${duck})`;
  }
  if (name === "STRUCT") {
    if (value?.structValues === undefined) return `CAST(NULL AS ${duck})`;
    const fields = (type.structTypes ?? []).map((f, i) => {
      const key = f.name ?? `_field_${i + 1}`;
      return `${quoteIdent(key)} := ${parameterLiteral(f.type, value.structValues?.[key])}`;
    });
    return `CAST(struct_pack(${fields.join(", ")}) AS ${duck})`;
  }
  const given: unknown = value?.value;
  if (given === undefined || given === null) return `CAST(NULL AS ${duck})`;
  const v = String(given); // the Node client sends some values as JSON numbers/booleans
  switch (name) {
    case "STRING":
      return quoteString(v);
    case "BYTES":
      return `from_base64(${quoteString(v)})`;
    case "TIMESTAMP": {
      const micros = parseTimestampMicros(v);
      if (micros === undefined) throw new SqlTranslationError("query parameter", `Invalid TIMESTAMP parameter value: ${v}`);
      return `CAST(${quoteString(formatMicros(micros))} AS TIMESTAMPTZ)`;
    }
    default:
      return `CAST(${quoteString(v)} AS ${duck})`;
  }
}

/** Build the translator's parameter callback from jobs.query parameters. */
export function parameterResolver(mode: string | undefined, parameters: readonly QueryParameter[] | undefined) {
  const list = parameters ?? [];
  const byName = new Map(list.filter((p) => p.name !== undefined).map((p) => [(p.name as string).toLowerCase(), p]));
  return (name: string, position: number, pos: number): string => {
    const parameter = name === "" ? list[position] : byName.get(name.toLowerCase());
    if (name !== "" && mode !== undefined && mode.toUpperCase() === "POSITIONAL") {
      throw new SqlTranslationError("named parameter", `Query parameter @${name} used with parameterMode POSITIONAL`, pos);
    }
    if (parameter === undefined) {
      throw new SqlTranslationError("query parameter", name === "" ? `No value for positional parameter ${position + 1}` : `Query parameter '${name}' not found`, pos);
    }
    return parameterLiteral(parameter.parameterType, parameter.parameterValue);
  };
}
