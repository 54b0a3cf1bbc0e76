/**
 * Warehouse column name for a Graph field: snake_case, letters, digits and underscores only.
 * `userPrincipalName` -> `user_principal_name`, `@odata.type` -> `odata_type`,
 * `onPremisesSIDHistory` -> `on_premises_sid_history`.
 */
export function toColumnName(graphName: string): string {
  return graphName
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/** Type name for generated TypeScript: `user_sign_in_activity` -> `UserSignInActivityRecord`. */
export function toRecordTypeName(tableName: string): string {
  return tableName.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()) + "Record";
}

/** Prefixes BigQuery reserves for column names (checked case-insensitively). */
const BIGQUERY_RESERVED_PREFIXES = [
  "_TABLE_",
  "_FILE_",
  "_PARTITION",
  "_ROW_TIMESTAMP",
  "__ROOT__",
  "_COLIDENTIFIER",
  "_CHANGE_SEQUENCE_NUMBER",
  "_CHANGE_TYPE",
  "_CHANGE_TIMESTAMP",
];

/** Why a column name is not valid in BigQuery, or undefined when it is. */
export function bigQueryColumnNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > 300) return `is ${name.length} characters long; BigQuery allows at most 300`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return "must contain only letters, digits and underscores and start with a letter or underscore";
  const reserved = BIGQUERY_RESERVED_PREFIXES.find((p) => name.toUpperCase().startsWith(p));
  if (reserved) return `starts with ${reserved}, a prefix BigQuery reserves`;
  return undefined;
}

/** Prefix of the columns Kaivo adds itself; declarations may not use it. */
export const SYSTEM_COLUMN_PREFIX = "_kaivo_";
