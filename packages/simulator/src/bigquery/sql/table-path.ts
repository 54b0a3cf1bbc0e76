import type { TablePath } from "./statement.js";
import { isOp, quoteIdent, type Token } from "./tokens.js";
import { syntaxError, unsupported } from "./translation-error.js";

export interface ReadPath {
  readonly path: TablePath;
  /** DuckDB spelling: "dataset"."table" or "table". */
  readonly sql: string;
  readonly next: number;
}

/** Read a table path (`project.dataset.table`, dataset.table, `dataset`.table, table) at tokens[i]. */
export function readTablePath(tokens: readonly Token[], i: number, projectId: string): ReadPath {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const t = tokens[j];
    if (t === undefined || (t.kind !== "ident" && t.kind !== "qident")) throw syntaxError("expected a table name", t?.pos ?? -1);
    if (t.kind === "qident" && t.value.includes("*")) throw unsupported("wildcard table", t.pos);
    parts.push(...(t.kind === "qident" ? t.value.split(".") : [t.value]));
    j++;
    if (isOp(tokens[j], ".")) {
      j++;
      continue;
    }
    break;
  }
  if (parts.length === 3) {
    if (parts[0] !== projectId) throw unsupported(`cross-project reference to project ${parts[0] ?? ""}`, tokens[i]?.pos ?? -1);
    parts.shift();
  }
  if (parts.length > 2) throw syntaxError(`invalid table name ${parts.join(".")}`, tokens[i]?.pos ?? -1);
  const [a, b] = parts as [string, string | undefined];
  const path: TablePath = b === undefined ? { table: a } : { dataset: a, table: b };
  const sql = b === undefined ? quoteIdent(a) : `${quoteIdent(a)}.${quoteIdent(b)}`;
  return { path, sql, next: j };
}
