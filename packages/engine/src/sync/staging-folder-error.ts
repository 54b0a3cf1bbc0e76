import { KaivoError } from "@kaivo/codegen";

const HINT =
  "Rows wait for their commit in the system's temporary folder: free space there, or point TMPDIR at a writable folder with room for a few batches of rows per table.";

/**
 * The folder where rows wait for their commit cannot be used: missing, read-only or full. Creating
 * it fails the run before anything is written (exit 2); a write that fails later fails its table.
 */
export class StagingFolderError extends KaivoError {
  constructor(action: "create" | "write", path: string, error: unknown) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = code ? `${code}: ${describeCode(code)}` : error instanceof Error ? error.message : String(error);
    super(
      "KAIVO_STAGING_FOLDER_UNUSABLE",
      action === "create" ? "config" : "transient",
      action === "create" ? `Cannot create a folder for staged rows in ${path} (${reason}).` : `Cannot write staged rows to ${path} (${reason}).`,
      { hint: action === "create" ? HINT : `${HINT} Then run again: committed tables resume where they stopped.`, cause: error },
    );
  }
}

function describeCode(code: string): string {
  switch (code) {
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "the file system is read-only";
    case "ENOENT":
      return "the folder does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return "the operating system refused";
  }
}
