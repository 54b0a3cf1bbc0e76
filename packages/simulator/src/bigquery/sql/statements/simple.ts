import type { TranslationContext } from "../context.js";
import type { TranslatedStatement } from "../statement.js";
import { readTablePath } from "../table-path.js";
import { isOp, quoteIdent, word, type Token } from "../tokens.js";
import { syntaxError, unsupported } from "../translation-error.js";
import { pathOf } from "./dml.js";

/** DROP TABLE | VIEW [IF EXISTS] path; DROP SCHEMA [IF EXISTS] name [CASCADE | RESTRICT]. */
export function translateDrop(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  const what = word(tokens[1]);
  let i = 2;
  let ifExists = false;
  if (word(tokens[i]) === "IF" && word(tokens[i + 1]) === "EXISTS") {
    ifExists = true;
    i += 2;
  }
  if (what === "SCHEMA") {
    const name = tokens[i];
    if (name === undefined) throw syntaxError("expected a schema name", -1);
    const mode = word(tokens[i + 1]) === "CASCADE" ? " CASCADE" : "";
    const schema = name.value.split(".").pop() as string;
    return { kind: "DROP_SCHEMA", source, sql: [`DROP SCHEMA ${ifExists ? "IF EXISTS " : ""}${quoteIdent(schema)}${mode}`], schema, paths: [], ifExists };
  }
  if (what !== "TABLE" && what !== "VIEW") throw unsupported(`DROP ${what}`, tokens[1]?.pos ?? -1);
  const target = readTablePath(tokens, i, ctx.projectId);
  if (target.next < tokens.length) throw syntaxError(`unexpected "${tokens[target.next]?.text ?? ""}"`, tokens[target.next]?.pos ?? -1);
  return {
    kind: what === "TABLE" ? "DROP_TABLE" : "DROP_VIEW",
    source,
    sql: [`DROP ${what} ${ifExists ? "IF EXISTS " : ""}${target.sql}`],
    target: target.path,
    paths: [pathOf(target.path)],
    ifExists,
  };
}

/** TRUNCATE TABLE path (a free metadata operation in BigQuery). */
export function translateTruncate(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  if (word(tokens[1]) !== "TABLE") throw syntaxError("expected TRUNCATE TABLE", tokens[1]?.pos ?? -1);
  const target = readTablePath(tokens, 2, ctx.projectId);
  return { kind: "TRUNCATE_TABLE", source, sql: [`TRUNCATE ${target.sql}`], target: target.path, paths: [pathOf(target.path)] };
}

/** BEGIN [TRANSACTION] / COMMIT [TRANSACTION] / ROLLBACK [TRANSACTION]; the executor runs these itself. */
export function translateTransaction(tokens: readonly Token[], source: string): TranslatedStatement {
  const w = word(tokens[0]);
  const rest = tokens.slice(1);
  const ok = rest.length === 0 || (rest.length === 1 && word(rest[0]) === "TRANSACTION");
  if (!ok) {
    if (w === "BEGIN") throw unsupported("BEGIN ... END block", tokens[0]?.pos ?? -1);
    throw syntaxError(`unexpected "${rest[0]?.text ?? ""}" after ${w}`, rest[0]?.pos ?? -1);
  }
  const kind = w === "BEGIN" ? "BEGIN_TRANSACTION" : w === "COMMIT" ? "COMMIT_TRANSACTION" : "ROLLBACK_TRANSACTION";
  return { kind, source, sql: [], paths: [] };
}

export function isParenthesised(tokens: readonly Token[]): boolean {
  return isOp(tokens[0], "(");
}
