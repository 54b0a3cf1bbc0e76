import type { TranslationContext } from "../context.js";
import { findTopLevel, splitTopLevel } from "../split-args.js";
import type { MergeShape, TranslatedStatement } from "../statement.js";
import { readTablePath } from "../table-path.js";
import { isOp, quoteIdent, word, type Token } from "../tokens.js";
import { translateToText } from "../translate-expression.js";
import { syntaxError, unsupported } from "../translation-error.js";
import { findClose } from "../types.js";

/**
 * MERGE [INTO] target [[AS] T] USING source [[AS] S] ON cond WHEN ... → DuckDB MERGE INTO with RETURNING merge_action
 * (to count inserted/updated/deleted rows). Clause rewrites:
 * - `INSERT ROW` → `INSERT *` (both insert the source columns by position; a column-count mismatch fails in both);
 * - `UPDATE SET T.col = x` → `UPDATE SET col = x` (DuckDB takes unqualified target columns);
 * - `WHEN NOT MATCHED [BY TARGET]`, `WHEN NOT MATCHED BY SOURCE`, `AND cond`, `DELETE` are the same in both.
 * The executor also checks BigQuery's "at most one source row per target row" rule, which DuckDB does not enforce.
 */
export function translateMerge(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  let i = 1;
  if (word(tokens[i]) === "INTO") i++;
  const target = readTablePath(tokens, i, ctx.projectId);
  ctx.paths.push([...(target.path.dataset !== undefined ? [target.path.dataset] : []), target.path.table]);
  i = target.next;
  const targetAlias = readAlias(tokens, i, "USING");
  i = targetAlias.next;
  if (word(tokens[i]) !== "USING") throw syntaxError("expected USING in MERGE", tokens[i]?.pos ?? -1);
  i++;
  let sourceSql: string;
  let defaultSourceAlias = "_source";
  if (isOp(tokens[i], "(")) {
    const close = findClose(tokens, i);
    sourceSql = `(${translateToText(tokens.slice(i + 1, close), ctx)})`;
    i = close + 1;
  } else {
    const src = readTablePath(tokens, i, ctx.projectId);
    ctx.paths.push([...(src.path.dataset !== undefined ? [src.path.dataset] : []), src.path.table]);
    sourceSql = src.sql;
    defaultSourceAlias = src.path.table;
    i = src.next;
  }
  const sourceAlias = readAlias(tokens, i, "ON");
  i = sourceAlias.next;
  if (word(tokens[i]) !== "ON") throw syntaxError("expected ON in MERGE", tokens[i]?.pos ?? -1);
  const firstWhen = findOutsideCase(tokens, "WHEN", i + 1);
  if (firstWhen < 0) throw syntaxError("MERGE needs at least one WHEN clause", tokens[i]?.pos ?? -1);
  const onTokens = tokens.slice(i + 1, firstWhen);
  const on = translateToText(onTokens, ctx);

  const tAlias = targetAlias.alias ?? target.path.table;
  const sAlias = sourceAlias.alias ?? defaultSourceAlias;
  const clauses: string[] = [];
  const matchedConditions: string[] = [];
  let updatesOrDeletes = false;
  let rest = tokens.slice(firstWhen);
  while (rest.length > 0) {
    const nextWhen = findOutsideCase(rest, "WHEN", 1);
    const clause = rest.slice(1, nextWhen < 0 ? rest.length : nextWhen);
    rest = nextWhen < 0 ? [] : rest.slice(nextWhen);
    const translated = translateClause(clause, ctx, tAlias, target.path.table);
    clauses.push(translated.sql);
    if (translated.matched) matchedConditions.push(translated.condition ?? "TRUE");
    if (translated.updatesOrDeletes) updatesOrDeletes = true;
  }
  const targetRef = `${target.sql} AS ${quoteIdent(tAlias)}`;
  const sourceRef = `${sourceSql} AS ${quoteIdent(sAlias)}`;
  const merge: MergeShape = {
    targetRef,
    targetAlias: tAlias,
    sourceRef,
    sourceAlias: sAlias,
    on,
    ...(matchedConditions.length > 0 ? { matchedCondition: matchedConditions.map((c) => `(${c})`).join(" OR ") } : {}),
    updatesOrDeletes,
    targetColumnsRead: columnsQualifiedBy(tokens, [tAlias, target.path.table]),
    keyEqualities: keyEqualities(onTokens, tAlias, sAlias),
  };
  const sql = `MERGE INTO ${targetRef} USING ${sourceRef} ON ${on} ${clauses.join(" ")} RETURNING merge_action`;
  return { kind: "MERGE", source, sql: [sql], target: target.path, paths: ctx.paths, merge };
}

/** The next top-level `keyword` (WHEN, THEN) of the MERGE itself, not one inside a `CASE … END` expression. */
function findOutsideCase(tokens: readonly Token[], keyword: string, from: number): number {
  let caseDepth = 0;
  return findTopLevel(
    tokens,
    (t) => {
      const w = word(t);
      if (w === "CASE") caseDepth++;
      else if (w === "END" && caseDepth > 0) caseDepth--;
      return w === keyword && caseDepth === 0;
    },
    from,
  );
}

function readAlias(tokens: readonly Token[], i: number, stop: string): { alias?: string; next: number } {
  let j = i;
  if (word(tokens[j]) === "AS") j++;
  const t = tokens[j];
  if (t !== undefined && (t.kind === "ident" || t.kind === "qident") && word(t) !== stop) return { alias: t.value, next: j + 1 };
  return { next: i };
}

interface TranslatedClause {
  readonly sql: string;
  readonly matched: boolean;
  readonly condition?: string;
  readonly updatesOrDeletes: boolean;
}

function translateClause(clause: readonly Token[], ctx: TranslationContext, targetAlias: string, targetTable: string): TranslatedClause {
  let k = 0;
  let header: string;
  let matched = false;
  if (word(clause[k]) === "MATCHED") {
    header = "MATCHED";
    matched = true;
    k++;
  } else if (word(clause[k]) === "NOT" && word(clause[k + 1]) === "MATCHED") {
    k += 2;
    if (word(clause[k]) === "BY" && word(clause[k + 1]) === "SOURCE") {
      header = "NOT MATCHED BY SOURCE";
      k += 2;
    } else {
      if (word(clause[k]) === "BY" && word(clause[k + 1]) === "TARGET") k += 2;
      header = "NOT MATCHED BY TARGET";
    }
  } else {
    throw syntaxError("expected MATCHED or NOT MATCHED after WHEN", clause[k]?.pos ?? -1);
  }
  const then = findOutsideCase(clause, "THEN", k);
  if (then < 0) throw syntaxError("expected THEN in MERGE clause", clause[k]?.pos ?? -1);
  let condition: string | undefined;
  if (word(clause[k]) === "AND") condition = translateToText(clause.slice(k + 1, then), ctx);
  const action = clause.slice(then + 1);
  const a0 = word(action[0]);
  let actionSql: string;
  let updatesOrDeletes = false;
  if (a0 === "UPDATE" && word(action[1]) === "SET") {
    actionSql = `UPDATE SET ${translateSetList(action.slice(2), ctx, targetAlias, targetTable)}`;
    updatesOrDeletes = true;
  } else if (a0 === "DELETE") {
    actionSql = "DELETE";
    updatesOrDeletes = true;
  } else if (a0 === "INSERT" && word(action[1]) === "ROW") {
    actionSql = "INSERT *";
    ctx.star = true; // every source column is read
  } else if (a0 === "INSERT") {
    let j = 1;
    let columns = "";
    if (isOp(action[j], "(")) {
      const close = findClose(action, j);
      columns = `(${splitTopLevel(action.slice(j + 1, close)).map((c) => quoteIdent((c[c.length - 1] as Token).value)).join(", ")}) `;
      j = close + 1;
    }
    if (word(action[j]) !== "VALUES" || !isOp(action[j + 1], "(")) throw syntaxError("expected VALUES (...) or ROW after INSERT", action[j]?.pos ?? -1);
    const close = findClose(action, j + 1);
    actionSql = `INSERT ${columns}VALUES (${translateToText(action.slice(j + 2, close), ctx)})`;
  } else {
    throw unsupported(`MERGE action ${action.map((t) => t.text).slice(0, 2).join(" ")}`, action[0]?.pos ?? -1);
  }
  return {
    sql: `WHEN ${header}${condition !== undefined ? ` AND ${condition}` : ""} THEN ${actionSql}`,
    matched,
    ...(condition !== undefined ? { condition } : {}),
    updatesOrDeletes,
  };
}

/** `col = expr, T.col2 = expr` → `"col" = expr, "col2" = expr`. Shared with UPDATE. */
export function translateSetList(tokens: readonly Token[], ctx: TranslationContext, targetAlias: string, targetTable: string): string {
  return splitTopLevel(tokens)
    .map((item) => {
      const eq = findTopLevel(item, (t) => isOp(t, "="));
      if (eq < 0) throw syntaxError("expected column = value in SET", item[0]?.pos ?? -1);
      const lhs = item.slice(0, eq).filter((t) => !isOp(t, "."));
      const names = lhs.flatMap((t) => (t.kind === "qident" ? t.value.split(".") : [t.value]));
      let column: string | undefined;
      if (names.length === 1) column = names[0];
      else if (names.length === 2 && [targetAlias.toLowerCase(), targetTable.toLowerCase()].includes((names[0] as string).toLowerCase())) column = names[1];
      if (column === undefined) throw unsupported("SET of a nested STRUCT field", item[0]?.pos ?? -1, "Assign the whole STRUCT column.");
      return `${quoteIdent(column)} = ${translateToText(item.slice(eq + 1), ctx)}`;
    })
    .join(", ");
}

/** Columns named as `<qualifier>.column` (or the backticked `qualifier.column`), lower case. */
function columnsQualifiedBy(tokens: readonly Token[], qualifiers: readonly string[]): Set<string> {
  const names = new Set(qualifiers.map((q) => q.toLowerCase()));
  const isName = (t: Token | undefined) => t !== undefined && (t.kind === "ident" || t.kind === "qident");
  const columns = new Set<string>();
  tokens.forEach((t, k) => {
    if (!isName(t)) return;
    const parts = t.kind === "qident" ? t.value.split(".") : [t.value];
    if (parts.length === 2 && names.has(parts[0]!.toLowerCase())) columns.add(parts[1]!.toLowerCase());
    else if (parts.length === 1 && names.has(t.value.toLowerCase()) && isOp(tokens[k + 1], ".") && isName(tokens[k + 2]) && !isOp(tokens[k - 1], ".")) {
      columns.add(tokens[k + 2]!.value.toLowerCase());
    }
  });
  return columns;
}

/** Top-level `T.a = S.b` (either order) pairs in the ON condition. */
function keyEqualities(on: readonly Token[], targetAlias: string, sourceAlias: string): { targetColumn: string; sourceColumn: string }[] {
  const pairs: { targetColumn: string; sourceColumn: string }[] = [];
  const name = (t: Token | undefined): string | undefined => (t !== undefined && (t.kind === "ident" || t.kind === "qident") ? t.value : undefined);
  for (let k = 0; k + 6 < on.length; k++) {
    const a = name(on[k]);
    const ac = name(on[k + 2]);
    const b = name(on[k + 4]);
    const bc = name(on[k + 6]);
    if (a === undefined || ac === undefined || b === undefined || bc === undefined) continue;
    if (!isOp(on[k + 1], ".") || !isOp(on[k + 3], "=") || !isOp(on[k + 5], ".")) continue;
    const ta = targetAlias.toLowerCase();
    const sa = sourceAlias.toLowerCase();
    if (a.toLowerCase() === ta && b.toLowerCase() === sa) pairs.push({ targetColumn: ac, sourceColumn: bc });
    else if (a.toLowerCase() === sa && b.toLowerCase() === ta) pairs.push({ targetColumn: bc, sourceColumn: ac });
  }
  return pairs;
}
