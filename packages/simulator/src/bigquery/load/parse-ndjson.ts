import type { ErrorProto } from "../errors.js";
import type { TableFieldSchema } from "../schema/field-schema.js";
import { parseJsonKeepingBigInts } from "./big-int-json.js";
import { normalizeRow, RowError, type NormalizeOptions } from "./normalize-row.js";

export interface ParsedRows {
  readonly rows: Record<string, unknown>[];
  readonly badRecords: number;
  /** Per-row errors in BigQuery's wording (only when some rows failed). */
  readonly errors: ErrorProto[];
}

export interface ParseOptions extends NormalizeOptions {
  readonly maxBadRecords: number;
}

/**
 * Parse newline-delimited JSON against a schema. A row that fails is skipped while fewer than maxBadRecords rows
 * failed; beyond that the caller fails the job with `errors` (BigQuery reports the summary first).
 */
export function parseNdjson(data: string, fields: readonly TableFieldSchema[], options: ParseOptions): ParsedRows {
  const rows: Record<string, unknown>[] = [];
  const errors: ErrorProto[] = [];
  let position = 0;
  for (const line of data.split("\n")) {
    const start = position;
    position += Buffer.byteLength(line, "utf8") + 1;
    if (line.trim() === "") continue;
    try {
      rows.push(normalizeRow(parseLine(line), fields, options));
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      errors.push({
        reason: "invalid",
        location: "file-00000000",
        message: `Error while reading data, error message: JSON parsing error in row starting at position ${start}: ${error.message}`,
      });
    }
  }
  return { rows, badRecords: errors.length, errors };
}

function parseLine(line: string): unknown {
  try {
    return parseJsonKeepingBigInts(line);
  } catch (error) {
    throw new RowError(`Parser terminated before end of string (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The summary error BigQuery puts first when a JSON load gives up. */
export function tooManyErrors(rowsSeen: number, errors: number): ErrorProto {
  return {
    reason: "invalid",
    message: `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${rowsSeen}; errors: ${errors}. Please look into the errors[] collection for more details.`,
  };
}
