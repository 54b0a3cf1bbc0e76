import type { TranslationContext } from "../context.js";
import { parseOptions } from "../options.js";
import { splitTopLevel } from "../split-args.js";
import type { TranslatedStatement } from "../statement.js";
import { readTablePath } from "../table-path.js";
import { quoteIdent, word, type Token } from "../tokens.js";
import { SqlTranslationError, syntaxError, unsupported } from "../translation-error.js";
import { parseType } from "../types.js";
import { translateColumnDefinition } from "./create.js";

/**
 * ALTER TABLE [IF EXISTS] t action, action, ... — one DuckDB statement per action (DuckDB takes one at a time).
 * Actions: ADD COLUMN [IF NOT EXISTS], DROP COLUMN [IF EXISTS], RENAME COLUMN, RENAME TO,
 * ALTER COLUMN ... DROP NOT NULL | SET DATA TYPE | SET OPTIONS, SET OPTIONS.
 */
export function translateAlter(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  const objectWord = word(tokens[1]);
  if (objectWord !== "TABLE") throw unsupported(`ALTER ${objectWord}`, tokens[1]?.pos ?? -1);
  let i = 2;
  let ifExists = false;
  if (word(tokens[i]) === "IF" && word(tokens[i + 1]) === "EXISTS") {
    ifExists = true;
    i += 2;
  }
  const target = readTablePath(tokens, i, ctx.projectId);
  const head = `ALTER TABLE ${ifExists ? "IF EXISTS " : ""}${target.sql}`;
  const sql: string[] = [];
  let options: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (const action of splitTopLevel(tokens.slice(target.next), ",", true)) {
    const a0 = word(action[0]);
    const a1 = word(action[1]);
    const pos = action[0]?.pos ?? -1;
    if (a0 === "ADD" && a1 === "COLUMN") {
      let k = 2;
      let ifNotExists = false;
      if (word(action[k]) === "IF" && word(action[k + 1]) === "NOT" && word(action[k + 2]) === "EXISTS") {
        ifNotExists = true;
        k += 3;
      }
      const column = translateColumnDefinition(action, k, ctx, descriptions);
      // BigQuery: "new columns must be NULLABLE or REPEATED"
      if (column.notNull) throw new SqlTranslationError("ADD COLUMN ... NOT NULL", `Column ${column.name} cannot be added as REQUIRED; new columns must be NULLABLE or REPEATED.`, pos);
      sql.push(`${head} ADD COLUMN ${ifNotExists ? "IF NOT EXISTS " : ""}${column.sql}`);
    } else if (a0 === "DROP" && a1 === "COLUMN") {
      const ifx = word(action[2]) === "IF" && word(action[3]) === "EXISTS";
      const name = action[ifx ? 4 : 2];
      if (name === undefined) throw syntaxError("expected a column name", pos);
      sql.push(`${head} DROP COLUMN ${ifx ? "IF EXISTS " : ""}${quoteIdent(name.value)}`);
    } else if (a0 === "RENAME" && a1 === "COLUMN") {
      const ifx = word(action[2]) === "IF" && word(action[3]) === "EXISTS";
      const from = action[ifx ? 4 : 2];
      const to = action[ifx ? 6 : 4];
      if (from === undefined || to === undefined) throw syntaxError("expected RENAME COLUMN a TO b", pos);
      sql.push(`${head} RENAME COLUMN ${quoteIdent(from.value)} TO ${quoteIdent(to.value)}`);
    } else if (a0 === "RENAME" && a1 === "TO") {
      const to = action[2];
      if (to === undefined) throw syntaxError("expected RENAME TO name", pos);
      sql.push(`${head} RENAME TO ${quoteIdent(to.value)}`);
    } else if (a0 === "ALTER" && a1 === "COLUMN") {
      const ifx = word(action[2]) === "IF" && word(action[3]) === "EXISTS";
      const k = ifx ? 4 : 2;
      const name = action[k];
      if (name === undefined) throw syntaxError("expected a column name", pos);
      const w1 = word(action[k + 1]);
      const w2 = word(action[k + 2]);
      if (w1 === "DROP" && w2 === "NOT") sql.push(`${head} ALTER COLUMN ${quoteIdent(name.value)} DROP NOT NULL`);
      else if (w1 === "SET" && w2 === "DATA") {
        const type = parseType(action, k + 4);
        sql.push(`${head} ALTER COLUMN ${quoteIdent(name.value)} SET DATA TYPE ${type.duck}`);
      } else if (w1 === "SET" && w2 === "OPTIONS") {
        const parsed = parseOptions(action, k + 2, ctx);
        const description = parsed.options["description"];
        if (description !== undefined) descriptions[name.value] = description;
      } else throw unsupported(`ALTER COLUMN ... ${w1} ${w2}`, action[k + 1]?.pos ?? pos);
    } else if (a0 === "SET" && a1 === "OPTIONS") {
      options = { ...options, ...parseOptions(action, 1, ctx).options };
    } else {
      throw unsupported(`ALTER TABLE ... ${[a0, a1].join(" ").trim()}`, pos);
    }
  }
  return {
    kind: "ALTER_TABLE",
    source,
    sql,
    target: target.path,
    paths: ctx.paths,
    tableOptions: { options, columnDescriptions: descriptions },
    ifExists,
  };
}
