import { KaivoError } from "@kaivo/codegen";

/** Another run holds the connection's lease. */
export class LeaseHeldError extends KaivoError {
  constructor(holder: string, expiresAt: string, location: string) {
    super("KAIVO_LEASE_HELD", "config", `Another kaivo run (${holder}) is syncing into ${location}; its lease holds until ${expiresAt}.`, {
      hint: "Wait for it to finish. If that run is gone, the lease expires by itself at the time shown.",
    });
  }
}

/** The warehouse refused or failed a statement or job. */
export class WarehouseError extends KaivoError {
  constructor(
    message: string,
    readonly jobId?: string,
    options: { cause?: unknown; hint?: string; retryable?: boolean } = {},
  ) {
    super("KAIVO_WAREHOUSE_FAILED", options.retryable ? "transient" : "upstream", message, options);
  }
}
