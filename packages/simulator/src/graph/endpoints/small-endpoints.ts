import { ADMIN_CONSENT_POLICY_TYPE, IDENTITY_PROVIDER_TYPE } from "../data/entity-types.js";
import { DAY_MS } from "../util/time.js";
import { Errors } from "../http/graph-error.js";
import { jsonResponse, type Endpoint, type EndpointEnv, type GraphRequest, type GraphResponse } from "../http/endpoint.js";
import { contextUrl, pageBody, parseSelect, project, rejectOptions } from "../http/odata-query.js";

/** GET /identity/identityProviders: built-in and social providers, each with @odata.type; no paging. */
export function identityProvidersEndpoint(): Endpoint {
  return {
    key: "identity/identityProviders",
    method: "GET",
    permissions: [["IdentityProvider.Read.All", "IdentityProvider.ReadWrite.All"]],
    throttle: "identityProvider",
    baseCost: 1,
    handle: (req, env) => {
      rejectOptions(req.options, ["$filter", "$orderby", "$expand", "$search", "$skiptoken"]);
      const selection = parseSelect(req.options.get("$select"), IDENTITY_PROVIDER_TYPE, false);
      const items = env.tenant.identityProviders.map((p) => JSON.stringify(project(p, selection, IDENTITY_PROVIDER_TYPE)));
      return jsonResponse(pageBody(contextUrl(env.graphBaseUrl, "identity/identityProviders", selection), items, {}));
    },
  };
}

/** GET /policies/adminConsentRequestPolicy: a singleton, not a collection (no value array). */
export function adminConsentPolicyEndpoint(): Endpoint {
  return {
    key: "policies/adminConsentRequestPolicy",
    method: "GET",
    permissions: [["Policy.Read.All", "Policy.ReadWrite.ConsentRequest", "Directory.Read.All", "Directory.ReadWrite.All"]],
    throttle: "identity",
    baseCost: 1,
    handle: (req, env) => {
      rejectOptions(req.options, ["$filter", "$orderby", "$expand", "$search", "$top", "$skiptoken"]);
      const selection = parseSelect(req.options.get("$select"), ADMIN_CONSENT_POLICY_TYPE, false);
      const policy = env.tenant.policy;
      const body: Record<string, unknown> = {};
      if (selection === undefined) Object.assign(body, policy);
      else for (const key of selection.properties) body[key] = policy[key] ?? null;
      const context = selection === undefined
        ? `${env.graphBaseUrl}/$metadata#policies/adminConsentRequestPolicy/$entity`
        : `${env.graphBaseUrl}/$metadata#policies/adminConsentRequestPolicy(${selection.properties.join(",")})/$entity`;
      return jsonResponse(JSON.stringify({ "@odata.context": context, ...body }));
    },
  };
}

/** POST /directory/deletedItems/getUserOwnedObjects: sorted by id, at most 1,000, no paging. */
export function userOwnedObjectsEndpoint(): Endpoint {
  return {
    key: "directory/deletedItems/getUserOwnedObjects",
    method: "POST",
    permissions: [["Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]],
    throttle: "identity",
    baseCost: 1,
    handle: handleOwnedObjects,
  };
}

function handleOwnedObjects(req: GraphRequest, env: EndpointEnv): GraphResponse {
  const contentType = String(req.headers["content-type"] ?? "");
  if (!contentType.toLowerCase().includes("application/json")) {
    throw Errors.badRequest("Content-Type must be application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw Errors.badRequest("The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw Errors.badRequest("The request body must be a JSON object.");
  const { userId, type, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw Errors.badRequest(`The property '${extra}' does not exist on type 'microsoft.graph.getUserOwnedObjects'. Only 'userId' and 'type' are allowed.`);
  }
  if (typeof userId !== "string" || userId.length === 0) throw Errors.badRequest("Invalid value specified for property 'userId': a user object id is required.");
  if (typeof type !== "string") throw Errors.badRequest("Invalid value specified for property 'type': 'Group' or 'Application' is required.");
  const normalised = type.toLowerCase() === "group" ? "Group" : type.toLowerCase() === "application" ? "Application" : undefined;
  if (normalised === undefined) throw Errors.badRequest(`Invalid value '${type}' specified for property 'type'. Supported values are 'Group' and 'Application'.`);
  const cutoff = env.now().getTime() - 30 * DAY_MS;
  const odataType = normalised === "Group" ? "#microsoft.graph.group" : "#microsoft.graph.application";
  const items = env.tenant.deletedItems
    .filter((d) => d.type === normalised && d.owners.some((o) => o.id === userId))
    .filter((d) => Date.parse(String(d.object["deletedDateTime"])) >= cutoff)
    .map((d) => d.object)
    .sort((a, b) => String(a["id"]).localeCompare(String(b["id"])))
    .slice(0, 1000)
    .map((o) => JSON.stringify({ "@odata.type": odataType, ...o }));
  return jsonResponse(pageBody(`${env.graphBaseUrl}/$metadata#directoryObjects`, items, {}));
}
