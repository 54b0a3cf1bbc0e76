import type { TranslationContext } from "../context.js";
import { parseOptions } from "../options.js";
import { splitTopLevel } from "../split-args.js";
import type { TableOptionsSql, TranslatedStatement } from "../statement.js";
import { readTablePath } from "../table-path.js";
import { isOp, quoteIdent, render, word, type Token } from "../tokens.js";
import { translateToText } from "../translate-expression.js";
import { syntaxError, unsupported } from "../translation-error.js";
import { findClose, parseType } from "../types.js";

/** CREATE [OR REPLACE] [TEMP] TABLE | VIEW, CREATE SCHEMA. */
export function translateCreate(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  let i = 1;
  let orReplace = false;
  let temporary = false;
  if (word(tokens[i]) === "OR" && word(tokens[i + 1]) === "REPLACE") {
    orReplace = true;
    i += 2;
  }
  if (word(tokens[i]) === "TEMP" || word(tokens[i]) === "TEMPORARY") {
    temporary = true;
    i++;
  }
  const objectWord = word(tokens[i]);
  if (objectWord === "SCHEMA") return createSchema(tokens, i + 1, source);
  if (objectWord === "VIEW") return createView(tokens, i + 1, ctx, source, orReplace);
  if (objectWord !== "TABLE") {
    const what = [objectWord, word(tokens[i + 1])].filter((x) => x !== "").join(" ");
    throw unsupported(`CREATE ${what}`, tokens[i]?.pos ?? -1);
  }
  i++;
  let ifNotExists = false;
  if (word(tokens[i]) === "IF" && word(tokens[i + 1]) === "NOT" && word(tokens[i + 2]) === "EXISTS") {
    ifNotExists = true;
    i += 3;
  }
  const target = readTablePath(tokens, i, ctx.projectId);
  i = target.next;
  if (["LIKE", "COPY", "CLONE"].includes(word(tokens[i]))) throw unsupported(`CREATE TABLE ... ${word(tokens[i])}`, tokens[i]?.pos ?? -1);

  let columns: string | undefined;
  const descriptions: Record<string, string> = {};
  if (isOp(tokens[i], "(")) {
    const close = findClose(tokens, i);
    columns = translateColumnList(tokens.slice(i + 1, close), ctx, descriptions);
    i = close + 1;
  }
  let partitionField: string | undefined;
  let partitionType: string | undefined;
  let clustering: string[] | undefined;
  let options: Record<string, string> = {};
  let query: string | undefined;
  while (i < tokens.length) {
    const w = word(tokens[i]);
    if (w === "DEFAULT" && word(tokens[i + 1]) === "COLLATE") throw unsupported("DEFAULT COLLATE", tokens[i]?.pos ?? -1);
    if (w === "PARTITION" && word(tokens[i + 1]) === "BY") {
      const end = clauseEnd(tokens, i + 2, ["CLUSTER", "OPTIONS", "AS"]);
      const partition = describePartition(tokens.slice(i + 2, end));
      partitionField = partition.field;
      partitionType = partition.type;
      i = end;
    } else if (w === "CLUSTER" && word(tokens[i + 1]) === "BY") {
      const end = clauseEnd(tokens, i + 2, ["OPTIONS", "AS", "PARTITION"]);
      clustering = splitTopLevel(tokens.slice(i + 2, end)).map((c) => (c[c.length - 1] as Token).value);
      i = end;
    } else if (w === "OPTIONS") {
      const parsed = parseOptions(tokens, i, ctx);
      options = parsed.options;
      i = parsed.next;
    } else if (w === "AS") {
      query = translateToText(tokens.slice(i + 1), ctx);
      i = tokens.length;
    } else {
      throw syntaxError(`unexpected "${tokens[i]?.text ?? ""}" in CREATE TABLE`, tokens[i]?.pos ?? -1);
    }
  }
  if (columns !== undefined && query !== undefined) throw unsupported("CREATE TABLE with both a column list and AS SELECT", tokens[0]?.pos ?? -1);
  if (columns === undefined && query === undefined) throw syntaxError("CREATE TABLE needs a column list or AS query", tokens[0]?.pos ?? -1);
  const head = `CREATE ${orReplace ? "OR REPLACE " : ""}${temporary ? "TEMP " : ""}TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${temporary ? quoteIdent(target.path.table) : target.sql}`;
  const sql = query !== undefined ? `${head} AS ${query}` : `${head} (${columns ?? ""})`;
  const tableOptions: TableOptionsSql = {
    options,
    columnDescriptions: descriptions,
    ...(clustering !== undefined ? { clustering } : {}),
    ...(partitionField !== undefined ? { partitionField } : {}),
    ...(partitionType !== undefined ? { partitionType } : {}),
  };
  return {
    kind: query !== undefined ? "CREATE_TABLE_AS_SELECT" : "CREATE_TABLE",
    source,
    sql: [sql],
    target: target.path,
    temporary,
    paths: ctx.paths,
    tableOptions,
    ifExists: ifNotExists,
  };
}

function clauseEnd(tokens: readonly Token[], from: number, stops: readonly string[]): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (isOp(t, "(")) depth++;
    if (isOp(t, ")")) depth--;
    if (depth === 0 && stops.includes(word(t)) && !(word(t) === "AS" && depth > 0)) return k;
  }
  return tokens.length;
}

/** PARTITION BY col | DATE(col) | TIMESTAMP_TRUNC(col, HOUR) | DATE_TRUNC(col, MONTH) → field and type. */
function describePartition(tokens: readonly Token[]): { field?: string; type: string } {
  const units = ["HOUR", "DAY", "MONTH", "YEAR"];
  let type = "DAY";
  let field: string | undefined;
  tokens.forEach((t, k) => {
    const w = word(t);
    if (units.includes(w)) type = w;
    else if ((t.kind === "ident" || t.kind === "qident") && !isOp(tokens[k + 1], "(")) field = t.value;
  });
  if (field === "_PARTITIONDATE" || field === "_PARTITIONTIME") field = undefined;
  if (tokens.some((t) => word(t) === "RANGE_BUCKET")) throw unsupported("PARTITION BY RANGE_BUCKET", tokens[0]?.pos ?? -1);
  return field === undefined ? { type } : { field, type };
}

/** (name TYPE [NOT NULL] [DEFAULT e] [OPTIONS(...)], ..., [PRIMARY KEY (...) NOT ENFORCED]) */
function translateColumnList(tokens: readonly Token[], ctx: TranslationContext, descriptions: Record<string, string>): string {
  const out: string[] = [];
  for (const def of splitTopLevel(tokens, ",", true)) {
    const first = word(def[0]);
    // Unenforced key constraints carry no behaviour in BigQuery; they are accepted and dropped.
    if (first === "PRIMARY" || first === "FOREIGN" || first === "CONSTRAINT") {
      if (!def.some((t) => word(t) === "ENFORCED")) throw unsupported(`${first} KEY without NOT ENFORCED`, def[0]?.pos ?? -1);
      continue;
    }
    out.push(translateColumnDefinition(def, 0, ctx, descriptions).sql);
  }
  return out.join(", ");
}

export function translateColumnDefinition(
  def: readonly Token[],
  start: number,
  ctx: TranslationContext,
  descriptions: Record<string, string>,
): { sql: string; name: string; notNull: boolean } {
  const nameToken = def[start];
  if (nameToken === undefined || (nameToken.kind !== "ident" && nameToken.kind !== "qident")) throw syntaxError("expected a column name", nameToken?.pos ?? -1);
  const type = parseType(def, start + 1);
  let k = type.next;
  let sql = `${quoteIdent(nameToken.value)} ${type.duck}`;
  let notNull = false;
  while (k < def.length) {
    const w = word(def[k]);
    if (w === "NOT" && word(def[k + 1]) === "NULL") {
      sql += " NOT NULL";
      notNull = true;
      k += 2;
    } else if (w === "OPTIONS") {
      const parsed = parseOptions(def, k, ctx);
      const description = parsed.options["description"];
      if (description !== undefined) descriptions[nameToken.value] = description;
      k = parsed.next;
    } else if (w === "DEFAULT") {
      const end = def.findIndex((t, idx) => idx > k && word(t) === "OPTIONS");
      const stop = end < 0 ? def.length : end;
      sql += ` DEFAULT ${translateToText(def.slice(k + 1, stop), ctx)}`;
      k = stop;
    } else if (w === "PRIMARY" && word(def[k + 1]) === "KEY") {
      k += 2;
      if (word(def[k]) === "NOT" && word(def[k + 1]) === "ENFORCED") k += 2;
      else throw unsupported("PRIMARY KEY without NOT ENFORCED", def[k]?.pos ?? -1);
    } else {
      throw syntaxError(`unexpected "${render(def.slice(k, k + 1))}" in column definition`, def[k]?.pos ?? -1);
    }
  }
  return { sql, name: nameToken.value, notNull };
}

function createView(tokens: readonly Token[], i: number, ctx: TranslationContext, source: string, orReplace: boolean): TranslatedStatement {
  let j = i;
  let ifNotExists = false;
  if (word(tokens[j]) === "IF" && word(tokens[j + 1]) === "NOT" && word(tokens[j + 2]) === "EXISTS") {
    ifNotExists = true;
    j += 3;
  }
  const target = readTablePath(tokens, j, ctx.projectId);
  j = target.next;
  let options: Record<string, string> = {};
  if (word(tokens[j]) === "OPTIONS") {
    const parsed = parseOptions(tokens, j, ctx);
    options = parsed.options;
    j = parsed.next;
  }
  if (word(tokens[j]) !== "AS") throw syntaxError("expected AS in CREATE VIEW", tokens[j]?.pos ?? -1);
  const query = translateToText(tokens.slice(j + 1), ctx);
  const sql = `CREATE ${orReplace ? "OR REPLACE " : ""}VIEW ${ifNotExists ? "IF NOT EXISTS " : ""}${target.sql} AS ${query}`;
  return { kind: "CREATE_VIEW", source, sql: [sql], target: target.path, paths: ctx.paths, tableOptions: { options }, ifExists: ifNotExists };
}

function createSchema(tokens: readonly Token[], i: number, source: string): TranslatedStatement {
  let j = i;
  let ifNotExists = false;
  if (word(tokens[j]) === "IF" && word(tokens[j + 1]) === "NOT" && word(tokens[j + 2]) === "EXISTS") {
    ifNotExists = true;
    j += 3;
  }
  const nameToken = tokens[j];
  if (nameToken === undefined) throw syntaxError("expected a schema name", -1);
  const parts = nameToken.kind === "qident" ? nameToken.value.split(".") : [nameToken.value];
  if (isOp(tokens[j + 1], ".")) throw unsupported("CREATE SCHEMA with a project prefix", nameToken.pos);
  const schema = parts[parts.length - 1] as string;
  return {
    kind: "CREATE_SCHEMA",
    source,
    sql: [`CREATE SCHEMA ${ifNotExists ? "IF NOT EXISTS " : ""}${quoteIdent(schema)}`],
    schema,
    paths: [],
    ifExists: ifNotExists,
  };
}
