import { BigQueryError, type ErrorProto } from "../errors.js";

/** A job that ran and failed: reported in status.errorResult / status.errors, and as an HTTP error by jobs.query. */
export class JobFailure extends Error {
  override readonly name = "JobFailure";
  constructor(
    readonly error: BigQueryError,
    /** All errors; the first is `error` itself. */
    readonly errors: readonly ErrorProto[] = [error.toProto()],
  ) {
    super(error.message);
  }

  static from(error: unknown): JobFailure {
    if (error instanceof JobFailure) return error;
    if (error instanceof BigQueryError) return new JobFailure(error);
    const message = error instanceof Error ? error.message : String(error);
    return new JobFailure(new BigQueryError("internalError", `Emulator error: ${message}`));
  }
}
