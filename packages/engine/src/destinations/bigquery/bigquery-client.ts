import { BigQuery } from "@google-cloud/bigquery";
import { OAuth2Client } from "google-auth-library";

export interface BigQueryConnection {
  project: string;
  location: string;
  /** Service-account key file; otherwise Application Default Credentials. */
  keyFile?: string | undefined;
  /** The BigQuery REST emulator (tests, demo). Nothing then leaves for Google. */
  apiEndpoint?: string | undefined;
}

/**
 * The official client. Against the emulator it gets a fixed-token auth client and the metadata
 * server probe is switched off: otherwise google-auth-library probes a link-local address and
 * multipart loads crash without credentials (reference bigquery.md section 4.1).
 */
export function createBigQueryClient(connection: BigQueryConnection): BigQuery {
  if (connection.apiEndpoint) {
    process.env.METADATA_SERVER_DETECTION = "none";
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: "kaivo-emulator", expiry_date: Date.now() + 10 * 365 * 86_400_000 });
    return new BigQuery({ projectId: connection.project, location: connection.location, apiEndpoint: connection.apiEndpoint, authClient });
  }
  return new BigQuery({ projectId: connection.project, location: connection.location, ...(connection.keyFile ? { keyFilename: connection.keyFile } : {}) });
}
