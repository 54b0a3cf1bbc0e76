import {
  APPLICATION_TYPE,
  DIRECTORY_ROLE_TEMPLATE_TYPE,
  DIRECTORY_ROLE_TYPE,
  GROUP_TYPE,
  SERVICE_PRINCIPAL_TYPE,
  USER_TYPE,
} from "../data/entity-types.js";
import type { DeltaCollection } from "../model/change-log.js";
import { Errors } from "../http/graph-error.js";
import type { Endpoint, EndpointEnv, ThrottleClass } from "../http/endpoint.js";
import type { QueryOptions } from "../http/odata-query.js";
import { auditsEndpoint } from "./audits-endpoint.js";
import { deltaEndpoint } from "./delta-endpoint.js";
import { listEndpoint, type ListSource } from "./list-endpoint.js";
import { adminConsentPolicyEndpoint, identityProvidersEndpoint, userOwnedObjectsEndpoint } from "./small-endpoints.js";

// Permissions per source (graph-api.md §0 and §8): least privileged first, then the higher ones.
const USERS = [["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]];
const GROUPS = [["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"]];
const APPS = [["Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]];
const ROLES = [["RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"]];

function storeSource(collection: DeltaCollection): ListSource {
  return {
    slotCount: (env) => env.tenant.store(collection).slotCount,
    live: (env, slot) => env.tenant.store(collection).live(slot),
    at: (env, slot) => env.tenant.store(collection).at(slot),
  };
}

/** signInActivity (§8.1): needs AuditLog.Read.All and a premium tenant; pages shrink to 500. */
function checkSignInActivity(selection: { properties: string[] } | undefined, env: EndpointEnv): number | undefined {
  if (selection?.properties.includes("signInActivity") !== true) return undefined;
  if (!env.settings.permissions.has("AuditLog.Read.All")) throw Errors.denied();
  if (!env.settings.signInActivityLicensed) throw Errors.nonPremium();
  return 500;
}

/** Reading signInActivity has its own budget in the reports service: "GET signInActivity", 10 requests per minute. */
function signInActivityThrottle(options: QueryOptions): ThrottleClass {
  return /(^|,)\s*signInActivity\s*(,|$)/i.test(options.get("$select") ?? "") ? "signInActivity" : "identity";
}

export function graphRoutes(): Endpoint[] {
  return [
    listEndpoint({ key: "users", entitySet: "users", entity: USER_TYPE, permissions: USERS, baseCost: 2, defaultTop: 100, maxTop: 999, pageable: true, source: storeSource("users"), checkSelection: checkSignInActivity, throttleOf: signInActivityThrottle }),
    listEndpoint({ key: "groups", entitySet: "groups", entity: GROUP_TYPE, permissions: GROUPS, baseCost: 1, defaultTop: 100, maxTop: 999, pageable: true, source: storeSource("groups") }),
    listEndpoint({ key: "applications", entitySet: "applications", entity: APPLICATION_TYPE, permissions: APPS, baseCost: 2, defaultTop: 100, maxTop: 999, pageable: true, source: storeSource("applications") }),
    listEndpoint({ key: "servicePrincipals", entitySet: "servicePrincipals", entity: SERVICE_PRINCIPAL_TYPE, permissions: APPS, baseCost: 1, defaultTop: 100, maxTop: 999, pageable: true, source: storeSource("servicePrincipals") }),
    listEndpoint({ key: "directoryRoles", entitySet: "directoryRoles", entity: DIRECTORY_ROLE_TYPE, permissions: ROLES, baseCost: 1, defaultTop: 100, maxTop: 999, pageable: false, source: storeSource("directoryRoles") }),
    listEndpoint({
      key: "directoryRoleTemplates",
      entitySet: "directoryRoleTemplates",
      entity: DIRECTORY_ROLE_TEMPLATE_TYPE,
      permissions: ROLES,
      baseCost: 1,
      defaultTop: 100,
      maxTop: 999,
      pageable: false,
      source: {
        slotCount: (env) => env.tenant.roleTemplates.length,
        live: () => true,
        at: (env, slot) => {
          const t = env.tenant.roleTemplates[slot];
          return t === undefined ? undefined : { ...t };
        },
      },
    }),
    deltaEndpoint({ collection: "users", entity: USER_TYPE, permissions: USERS, relations: {}, unsupported: ["signInActivity"] }),
    deltaEndpoint({
      collection: "groups",
      entity: GROUP_TYPE,
      permissions: GROUPS,
      relations: { members: { store: "groupMembers", inDefaultResponse: true }, owners: { store: "groupOwners", inDefaultResponse: false } },
    }),
    deltaEndpoint({ collection: "applications", entity: APPLICATION_TYPE, permissions: APPS, relations: {} }),
    deltaEndpoint({ collection: "servicePrincipals", entity: SERVICE_PRINCIPAL_TYPE, permissions: APPS, relations: {} }),
    deltaEndpoint({ collection: "directoryRoles", entity: DIRECTORY_ROLE_TYPE, permissions: ROLES, relations: { members: { store: "directoryRoleMembers", inDefaultResponse: true } } }),
    auditsEndpoint(),
    identityProvidersEndpoint(),
    adminConsentPolicyEndpoint(),
    userOwnedObjectsEndpoint(),
  ];
}

/** Finds the route for a path under /v1.0 (case-insensitive, as Graph is). */
export function routeTable(endpoints: readonly Endpoint[]): Map<string, Endpoint> {
  const table = new Map<string, Endpoint>();
  for (const e of endpoints) table.set(e.key.toLowerCase(), e);
  return table;
}
