import { BigQueryError, invalid } from "../errors.js";
import { asObject, ok, type ApiRequest, type ApiResponse } from "../http/api.js";
import { parseMultipart } from "../http/multipart.js";
import { jobResource } from "../jobs/job-resource.js";
import { waitForJob } from "../jobs/job-store.js";
import { newJobId, startLoadJob } from "../jobs/start-job.js";
import type { LoadConfiguration } from "../load/run-load.js";
import type { EmulatorServices } from "../services.js";
import { assertNewJob } from "./jobs.js";

/**
 * Media upload of a load job (what table.load and createWriteStream send): one multipart/related POST whose first
 * part is the job JSON and second part the file bytes (bigquery-protocol-log.md (i)). Resumable uploads are not
 * emulated (the Node client never uses them).
 */
export async function uploadJob(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const uploadType = request.query.get("uploadType") ?? "multipart";
  if (uploadType !== "multipart") throw new BigQueryError("notImplemented", `uploadType=${uploadType} is not supported by the emulator (use multipart)`);
  const contentType = String(request.headers["content-type"] ?? "");
  let parts;
  try {
    parts = parseMultipart(request.body, contentType);
  } catch (error) {
    throw invalid(`Invalid multipart upload: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [metadataPart, mediaPart] = parts;
  if (metadataPart === undefined || mediaPart === undefined) throw invalid("Multipart upload needs a metadata part and a media part");
  let body: Record<string, unknown>;
  try {
    body = asObject(JSON.parse(metadataPart.body.toString("utf8"))) ?? {};
  } catch {
    throw invalid("Invalid JSON in the multipart metadata part");
  }
  const configuration = asObject(body["configuration"]) ?? {};
  const load = asObject(configuration["load"]);
  if (load === undefined) throw invalid("Uploaded job has no configuration.load");
  const jobId = String(asObject(body["jobReference"])?.["jobId"] ?? newJobId());
  assertNewJob(services, jobId);
  const job = startLoadJob(services, { jobId, configuration, load: load as LoadConfiguration, data: mediaPart.body, path: request.path });
  await waitForJob(job, 50);
  return ok(jobResource(job, services.baseUrl), { jobId });
}
