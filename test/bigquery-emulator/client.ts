// Shared setup for e2e tests that drive the real @google-cloud/bigquery client against the emulator.
import { BigQuery } from "@google-cloud/bigquery";
import { OAuth2Client } from "google-auth-library";
import { startBigQueryEmulator, type BigQueryEmulator, type BigQueryEmulatorOptions } from "@kaivo/simulator";

// google-auth-library must not probe the GCE metadata server (bigquery.md §4.1); set before any client exists.
process.env["METADATA_SERVER_DETECTION"] = "none";

export interface EmulatorFixture {
  readonly emulator: BigQueryEmulator;
  readonly bq: BigQuery;
}

/** A client with a fixed token: without it table.load() crashes and ADC would reach for Google (bigquery.md §4.1). */
export function clientFor(emulator: BigQueryEmulator): BigQuery {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: "emulator", expiry_date: Date.now() + 10 * 365 * 86400e3 });
  return new BigQuery({ projectId: emulator.projectId, apiEndpoint: emulator.apiEndpoint, authClient, location: "US" });
}

export async function startFixture(options: BigQueryEmulatorOptions = {}): Promise<EmulatorFixture> {
  const emulator = await startBigQueryEmulator({ port: 0, ...options });
  return { emulator, bq: clientFor(emulator) };
}
