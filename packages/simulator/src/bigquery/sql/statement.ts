/** One GoogleSQL statement, translated. */
export type StatementKind =
  | "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "MERGE"
  | "CREATE_TABLE" | "CREATE_TABLE_AS_SELECT" | "CREATE_VIEW" | "CREATE_SCHEMA"
  | "DROP_TABLE" | "DROP_VIEW" | "DROP_SCHEMA" | "TRUNCATE_TABLE" | "ALTER_TABLE"
  | "BEGIN_TRANSACTION" | "COMMIT_TRANSACTION" | "ROLLBACK_TRANSACTION";

export interface TablePath {
  /** Undefined when the statement names a table without a dataset (default dataset or temp table). */
  readonly dataset?: string;
  readonly table: string;
}

/** Table options from CREATE TABLE / ALTER TABLE SET OPTIONS; values are DuckDB expressions to evaluate. */
export interface TableOptionsSql {
  readonly clustering?: readonly string[];
  readonly partitionField?: string;
  readonly partitionType?: string;
  /** DuckDB expression per option key (description, expiration_timestamp, ...). */
  readonly options: Readonly<Record<string, string>>;
  readonly columnDescriptions?: Readonly<Record<string, string>>;
}

export interface MergeShape {
  /** DuckDB text of the target table reference, with alias: `"ds"."t" AS "T"`. */
  readonly targetRef: string;
  readonly targetAlias: string;
  /** DuckDB text of the source (table or parenthesised query), with alias. */
  readonly sourceRef: string;
  readonly sourceAlias: string;
  /** DuckDB text of the ON condition. */
  readonly on: string;
  /** OR of the WHEN MATCHED conditions ("TRUE" when one has none); undefined when there is no WHEN MATCHED. */
  readonly matchedCondition?: string;
  /** Whether any clause updates or deletes (the q + t billing case). */
  readonly updatesOrDeletes: boolean;
  /**
   * Target columns the statement reads (lower case): those it names through the target's alias or
   * table name. Columns an INSERT list or a SET assigns are written, not read, and a source
   * column of the same name is the source's.
   */
  readonly targetColumnsRead: ReadonlySet<string>;
  /** target.column = source.column pairs found at the top level of ON (for clustering estimates). */
  readonly keyEqualities: readonly { readonly targetColumn: string; readonly sourceColumn: string }[];
}

export interface TranslatedStatement {
  readonly kind: StatementKind;
  /** GoogleSQL text of this statement. */
  readonly source: string;
  /** DuckDB statements to run, in order (ALTER TABLE with several actions becomes several). */
  readonly sql: readonly string[];
  /** Table written, created, altered or dropped. */
  readonly target?: TablePath;
  readonly temporary?: boolean;
  /** Every dotted path (and bare name) seen; the executor keeps those that name tables. */
  readonly paths: readonly (readonly string[])[];
  /** Identifiers seen (lower case) and whether `*` was selected: which columns the statement reads. */
  readonly columnsRead?: { readonly identifiers: ReadonlySet<string>; readonly all: boolean };
  readonly tableOptions?: TableOptionsSql;
  readonly merge?: MergeShape;
  /** Schema created or dropped (CREATE/DROP SCHEMA). */
  readonly schema?: string;
  readonly ifExists?: boolean;
}
