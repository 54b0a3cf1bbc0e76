import { KaivoError } from "@kaivo/codegen";

/**
 * The run was asked to stop (Ctrl-C, SIGTERM) before this table finished. The table stopped after
 * committing the pages it had fetched with a checkpoint, so nothing fetched is lost and the next
 * run resumes there; a full refresh leaves the table as it was.
 */
export class SyncInterruptedError extends KaivoError {
  constructor() {
    super("KAIVO_INTERRUPTED", "transient", "the run was interrupted before this table finished", {
      hint: "Rows committed so far are kept; the next `kaivo run` resumes from the last checkpoint.",
    });
  }
}
