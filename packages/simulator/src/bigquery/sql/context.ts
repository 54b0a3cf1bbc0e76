/** What the translator needs to know beyond the SQL text. */
export interface TranslationContext {
  readonly projectId: string;
  /** DuckDB literal text for a query parameter; `name` is "" for positional parameters. */
  readonly parameter: (name: string, position: number, pos: number) => string;
  /** Dotted paths seen in the statement (project prefix removed); used to find referenced tables. */
  readonly paths: string[][];
  /** Every identifier seen (lower case): an approximation of the columns a statement reads. */
  identifiers: Set<string>;
  /** Whether the statement selects `*` / inserts ROW (reads every column). */
  star: boolean;
  /** Running count of positional parameters. */
  positional: number;
}

export function createContext(projectId: string, parameter: TranslationContext["parameter"]): TranslationContext {
  return { projectId, parameter, paths: [], identifiers: new Set(), star: false, positional: 0 };
}
