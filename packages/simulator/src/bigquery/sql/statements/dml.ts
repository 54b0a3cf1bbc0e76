import type { TranslationContext } from "../context.js";
import { findTopLevel } from "../split-args.js";
import type { TranslatedStatement } from "../statement.js";
import { readTablePath } from "../table-path.js";
import { word, type Token } from "../tokens.js";
import { translateToText } from "../translate-expression.js";
import { SqlTranslationError } from "../translation-error.js";
import { translateSetList } from "./merge.js";

/** INSERT [INTO] t [(cols)] VALUES ... | SELECT ... (INTO is optional in GoogleSQL, required in DuckDB). */
export function translateInsert(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  const at = word(tokens[1]) === "INTO" ? 2 : 1;
  const target = readTablePath(tokens, at, ctx.projectId);
  ctx.paths.push(pathOf(target.path));
  const rest = translateToText(tokens.slice(target.next), ctx);
  return { kind: "INSERT", source, sql: [`INSERT INTO ${target.sql} ${rest}`], target: target.path, paths: ctx.paths };
}

/** UPDATE t [[AS] alias] SET ... [FROM ...] WHERE ... — BigQuery requires the WHERE clause. */
export function translateUpdate(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  const target = readTablePath(tokens, 1, ctx.projectId);
  ctx.paths.push(pathOf(target.path));
  let i = target.next;
  let alias = target.path.table;
  let aliasSql = "";
  if (word(tokens[i]) === "AS") i++;
  const maybeAlias = tokens[i];
  if (maybeAlias !== undefined && word(maybeAlias) !== "SET") {
    alias = maybeAlias.value;
    aliasSql = ` AS "${alias.replace(/"/g, '""')}"`;
    i++;
  }
  if (word(tokens[i]) !== "SET") throw new SqlTranslationError("UPDATE", "Syntax error: expected SET in UPDATE", tokens[i]?.pos ?? -1);
  const where = findTopLevel(tokens, (t) => word(t) === "WHERE", i);
  if (where < 0) throw new SqlTranslationError("UPDATE without WHERE", "UPDATE must have a WHERE clause", tokens[0]?.pos ?? -1);
  const from = findTopLevel(tokens, (t) => word(t) === "FROM", i);
  const setEnd = from >= 0 && from < where ? from : where;
  const set = translateSetList(tokens.slice(i + 1, setEnd), ctx, alias, target.path.table);
  const rest = translateToText(tokens.slice(setEnd), ctx);
  return { kind: "UPDATE", source, sql: [`UPDATE ${target.sql}${aliasSql} SET ${set} ${rest}`], target: target.path, paths: ctx.paths };
}

/** DELETE [FROM] t [[AS] alias] WHERE ... — BigQuery requires the WHERE clause. */
export function translateDelete(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  const at = word(tokens[1]) === "FROM" ? 2 : 1;
  const target = readTablePath(tokens, at, ctx.projectId);
  ctx.paths.push(pathOf(target.path));
  if (findTopLevel(tokens, (t) => word(t) === "WHERE", target.next) < 0) {
    throw new SqlTranslationError("DELETE without WHERE", "DELETE must have a WHERE clause", tokens[0]?.pos ?? -1);
  }
  const rest = translateToText(tokens.slice(target.next), ctx);
  return { kind: "DELETE", source, sql: [`DELETE FROM ${target.sql} ${rest}`], target: target.path, paths: ctx.paths };
}

export function pathOf(path: { dataset?: string; table: string }): string[] {
  return path.dataset !== undefined ? [path.dataset, path.table] : [path.table];
}
