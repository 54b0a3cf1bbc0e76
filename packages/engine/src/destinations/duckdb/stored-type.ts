import { duckDbType, quoteDuckDbIdentifier, type ColumnSpec } from "@kaivo/codegen";

/** A DuckDB type as information_schema spells it, parsed: STRUCT(...) fields, a list's element, or a scalar. */
type StoredType = { kind: "struct"; fields: Map<string, StoredType> } | { kind: "list"; element: StoredType } | { kind: "scalar"; text: string };

/** What a stored column needs to take its declared type: sub-fields to add, or a change Kaivo never makes. */
export interface ColumnEvolution {
  /** ALTER TABLE ... ADD COLUMN targets for new sub-fields of a RECORD, e.g. `"manager"."display_name"`, with their types. */
  addSubFields: Array<{ path: string; type: string }>;
  /** The column's type changed in kind (a scalar retyped, a RECORD made a list): refused. */
  retyped: boolean;
}

/**
 * Compares a stored column with its declaration. A RECORD that gained sub-fields (at any depth, in
 * lists too) gets them added, as BigQuery allows; one that lost sub-fields keeps them stored, as a
 * column no longer declared is kept; any other change of type is `retyped`.
 */
export function columnEvolution(declared: ColumnSpec, storedType: string): ColumnEvolution {
  const evolution: ColumnEvolution = { addSubFields: [], retyped: false };
  compare(declared, parseStoredType(storedType), [quoteDuckDbIdentifier(declared.name)], evolution);
  return evolution;
}

function compare(declared: Pick<ColumnSpec, "type" | "mode" | "fields">, stored: StoredType, path: string[], out: ColumnEvolution): void {
  if (declared.mode === "REPEATED") {
    if (stored.kind !== "list") return void (out.retyped = true);
    return compare({ ...declared, mode: "NULLABLE" }, stored.element, [...path, "element"], out);
  }
  if (declared.type !== "RECORD") {
    if (stored.kind !== "scalar" || canonical(stored.text) !== canonical(duckDbType(declared))) out.retyped = true;
    return;
  }
  if (stored.kind !== "struct") return void (out.retyped = true);
  for (const field of declared.fields ?? []) {
    const storedField = stored.fields.get(field.name.toLowerCase());
    if (storedField) compare(field, storedField, [...path, quoteDuckDbIdentifier(field.name)], out);
    else out.addSubFields.push({ path: [...path, quoteDuckDbIdentifier(field.name)].join("."), type: duckDbType(field) });
  }
}

/** information_schema spells TIMESTAMPTZ out. */
export function canonical(type: string): string {
  return type.replace(/TIMESTAMP WITH TIME ZONE/g, "TIMESTAMPTZ");
}

/** Parses `STRUCT(a VARCHAR, "b c" STRUCT(x BIGINT)[])[]` and the like. */
export function parseStoredType(text: string): StoredType {
  let i = 0;
  const skipSpace = () => {
    while (text[i] === " ") i++;
  };
  const name = (): string => {
    skipSpace();
    if (text[i] === '"') {
      let out = "";
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') (out += '"'), i++;
        else if (text[i] === '"') break;
        else out += text[i];
      }
      i++;
      return out;
    }
    const start = i;
    while (i < text.length && text[i] !== " ") i++;
    return text.slice(start, i);
  };
  const type = (): StoredType => {
    skipSpace();
    let parsed: StoredType;
    if (text.startsWith("STRUCT(", i)) {
      i += "STRUCT(".length;
      const fields = new Map<string, StoredType>();
      while (text[i] !== ")") {
        const field = name();
        fields.set(field.toLowerCase(), type());
        skipSpace();
        if (text[i] === ",") i++;
        if (i >= text.length) throw new Error(`unterminated STRUCT in ${text}`);
      }
      i++;
      parsed = { kind: "struct", fields };
    } else {
      // A scalar runs to the next comma or closing parenthesis outside its own parentheses (DECIMAL(18,3)).
      const start = i;
      let depth = 0;
      while (i < text.length && !(depth === 0 && (text[i] === "," || text[i] === ")" || text.startsWith("[]", i)))) {
        if (text[i] === "(") depth++;
        else if (text[i] === ")") depth--;
        i++;
      }
      parsed = { kind: "scalar", text: text.slice(start, i).trim() };
    }
    while (text.startsWith("[]", i)) {
      i += 2;
      parsed = { kind: "list", element: parsed };
    }
    return parsed;
  };
  return type();
}
