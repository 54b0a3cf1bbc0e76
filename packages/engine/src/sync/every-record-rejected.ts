import { KaivoError } from "@kaivo/codegen";
import type { RejectedRecord } from "../destinations/destination.js";

/**
 * A full refresh read records, and every one failed validation: replacing the table would empty
 * it, so the table fails and keeps its rows. (Almost always the declaration no longer matches what
 * Graph sends.)
 */
export class EveryRecordRejectedError extends KaivoError {
  constructor(table: string, file: string, rejects: readonly RejectedRecord[]) {
    const first = rejects[0];
    super(
      "KAIVO_EVERY_RECORD_REJECTED",
      "upstream",
      `all ${rejects.length} records Graph sent failed validation (the first: ${first?.reason ?? "?"}${first?.recordId ? `, record ${first.recordId}` : ""}), so the table was left as it was rather than emptied`,
      { hint: `Compare the schema in ${file} with what Graph sends; _kaivo_rejects holds every record with its reason.` },
    );
  }
}
