import { Kind, Rng } from "../util/prng.js";
import { indexedGuid } from "../util/object-ids.js";
import { DAY_MS } from "../util/time.js";
import { ACTIVATED_TEMPLATE_COUNT } from "../data/role-templates.js";

/** The sizes and fixed facts of a generated tenant, all derived from (seed, user count, anchor day). */
export interface TenantShape {
  seed: number;
  tenantId: string;
  /** The tenant's initial domain, e.g. "kaivosim1234.onmicrosoft.com". */
  domain: string;
  /** Midnight UTC of the day the simulator started; every generated timestamp is relative to it. */
  anchorMs: number;
  users: number;
  groups: number;
  applications: number;
  /** Microsoft first-party service principals (Microsoft Graph, Exchange, …). */
  firstPartyServicePrincipals: number;
  managedIdentities: number;
  directoryRoles: number;
  audits: number;
  /** App id (no dashes) of the app that owns the directory extensions, e.g. extension_<id>_costCenter. */
  extensionAppId: string;
  /** Role-assignable groups are the first N group indexes. */
  roleAssignableGroups: number;
  /** The configured user: owns some groups and the generated deleted groups and applications. */
  configuredUserId: string;
}

export const FIRST_PARTY_APPS: readonly { appId: string; displayName: string }[] = [
  { appId: "00000003-0000-0000-c000-000000000000", displayName: "Microsoft Graph" },
  { appId: "00000002-0000-0ff1-ce00-000000000000", displayName: "Office 365 Exchange Online" },
  { appId: "00000003-0000-0ff1-ce00-000000000000", displayName: "Office 365 SharePoint Online" },
  { appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", displayName: "Azure Portal" },
  { appId: "00000007-0000-0000-c000-000000000000", displayName: "Dataverse" },
  { appId: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", displayName: "Microsoft Teams" },
];

export const MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export function deriveTenantShape(
  seed: number,
  users: number,
  anchorMs: number,
  tenantId: string | undefined,
  configuredUserId: string | undefined,
): TenantShape {
  const rng = Rng.for(seed, Kind.tenant, 0);
  const generatedTenantId = rng.guid();
  const domainSuffix = rng.int(10000);
  const extensionAppId = rng.hex(32);
  const userCount = Math.max(1, Math.floor(users));
  const groups = Math.max(6, Math.ceil(userCount / 20));
  return {
    seed,
    tenantId: tenantId ?? generatedTenantId,
    domain: `kaivosim${String(domainSuffix).padStart(4, "0")}.onmicrosoft.com`,
    anchorMs: Math.floor(anchorMs / DAY_MS) * DAY_MS,
    users: userCount,
    groups,
    applications: Math.max(4, Math.ceil(userCount / 100)),
    firstPartyServicePrincipals: FIRST_PARTY_APPS.length,
    managedIdentities: Math.max(1, Math.ceil(userCount / 1000)),
    directoryRoles: ACTIVATED_TEMPLATE_COUNT,
    audits: Math.max(60, Math.min(userCount * 2, 5_000_000)),
    extensionAppId,
    roleAssignableGroups: Math.max(2, Math.min(50, Math.ceil(groups / 200))),
    configuredUserId: configuredUserId ?? indexedGuid(seed, Kind.user, 0),
  };
}
