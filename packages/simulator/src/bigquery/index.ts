// BigQuery REST emulator (DuckDB-backed) for tests and demos; see emulator.ts.
export { startBigQueryEmulator } from "./emulator.js";
export type { BigQueryEmulator, BigQueryEmulatorOptions, EmulatedJobSummary } from "./types.js";
export type {
  BigQueryFaultControl,
  FaultKind as BigQueryFaultKind,
  FaultSpec as BigQueryFaultSpec,
  InjectedFault as BigQueryInjectedFault,
  JobFaultKind as BigQueryJobFaultKind,
  RequestFaultKind as BigQueryRequestFaultKind,
} from "./faults/fault-control.js";
export type { LoggedRequest as BigQueryLoggedRequest } from "./http/request-log.js";
export { BigQueryError } from "./errors.js";
export type { ErrorReason as BigQueryErrorReason, ErrorProto as BigQueryErrorProto } from "./errors.js";
export { translateScript as translateGoogleSql } from "./sql/translate-statement.js";
export type { TranslatedStatement, StatementKind as BigQueryStatementKind } from "./sql/statement.js";
export { SqlTranslationError } from "./sql/translation-error.js";
