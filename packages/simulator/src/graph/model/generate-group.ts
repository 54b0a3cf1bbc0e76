import { GROUP_WORDS, asciiSlug } from "../data/names.js";
import { indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { DAY_MS, isoSeconds } from "../util/time.js";
import { ODATA_TYPE, type DirectoryObjectRef, type GraphObject } from "./graph-object.js";
import { userId } from "./generate-user.js";
import type { TenantShape } from "./tenant-shape.js";
import { servicePrincipalId } from "./generate-service-principal.js";

export function groupId(shape: TenantShape, index: number): string {
  return indexedGuid(shape.seed, Kind.group, index);
}

export function isRoleAssignableGroup(shape: TenantShape, index: number): boolean {
  return index < shape.roleAssignableGroups;
}

/** Group number `index`: security, Microsoft 365, dynamic and mail-enabled security groups. */
export function generateGroup(shape: TenantShape, index: number): GraphObject {
  const rng = Rng.for(shape.seed, Kind.group, index);
  const roleAssignable = isRoleAssignableGroup(shape, index);
  const roll = rng.next();
  const kind = roleAssignable ? "security" : roll < 0.25 ? "unified" : roll < 0.3 ? "dynamic" : roll < 0.35 ? "mailSecurity" : "security";
  const word = roleAssignable ? "Privileged Admins" : rng.pick(GROUP_WORDS);
  const displayName = `${word} ${index}`;
  const nickname = `${asciiSlug(word)}${index}`;
  const created = shape.anchorMs - rng.int(4 * 365) * DAY_MS - rng.int(DAY_MS);
  const mailEnabled = kind === "unified" || kind === "mailSecurity";
  const mail = mailEnabled ? `${nickname}@${shape.domain}` : null;
  const group: GraphObject = {
    id: groupId(shape, index),
    deletedDateTime: null,
    classification: kind === "unified" && rng.chance(0.3) ? "Confidential" : null,
    createdDateTime: isoSeconds(created),
    creationOptions: kind === "unified" ? ["YammerProvisioning"].slice(0, rng.int(2)) : [],
    description: rng.chance(0.7) ? `${displayName} — généré` : null,
    displayName,
    expirationDateTime: kind === "unified" && rng.chance(0.2) ? isoSeconds(shape.anchorMs + rng.int(180) * DAY_MS) : null,
    groupTypes: kind === "unified" ? ["Unified"] : kind === "dynamic" ? ["DynamicMembership"] : [],
    isAssignableToRole: roleAssignable ? true : rng.chance(0.5) ? false : null,
    mail,
    mailEnabled,
    mailNickname: nickname,
    membershipRule: kind === "dynamic" ? `(user.department -eq "${rng.pick(["Finance", "Sales", "IT"])}")` : null,
    membershipRuleProcessingState: kind === "dynamic" ? "On" : null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: mail === null ? [] : [`SMTP:${mail}`],
    renewedDateTime: isoSeconds(created + rng.int(100) * DAY_MS),
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: kind === "unified" && rng.chance(0.4) ? ["Team"] : [],
    securityEnabled: kind !== "unified" || rng.chance(0.3),
    securityIdentifier: `S-1-12-1-${rng.int(4294967295)}-${rng.int(4294967295)}-${rng.int(4294967295)}-${rng.int(4294967295)}`,
    theme: null,
    visibility: kind === "unified" ? rng.pick(["Public", "Private", "HiddenMembership"]) : null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
  };
  if (rng.chance(0.2)) group[`extension_${shape.extensionAppId}_projectCode`] = `P-${rng.range(100, 999)}`;
  return group;
}

/** Direct members of base group `index` (before any overlay). Nested groups only point at higher indexes. */
export function generateGroupMembers(shape: TenantShape, index: number): DirectoryObjectRef[] {
  const rng = Rng.for(shape.seed, Kind.groupMembers, index);
  const roleAssignable = isRoleAssignableGroup(shape, index);
  const roll = rng.next();
  let size: number;
  if (roleAssignable) size = rng.range(1, 5);
  else if (roll < 0.1) size = 0;
  else if (roll < 0.8) size = rng.range(1, 25);
  else if (roll < 0.95) size = rng.range(26, 200);
  else if (roll < 0.99) size = rng.range(201, 1000);
  else size = rng.range(1001, 5000);
  size = Math.min(size, shape.users);
  const picked = new Set<number>();
  const refs: DirectoryObjectRef[] = [];
  if (roleAssignable && index === 0) picked.add(0); // the first admin also holds roles through a group
  for (let tries = 0; picked.size < size && tries < size * 3; tries++) picked.add(rng.int(shape.users));
  for (const u of picked) refs.push({ id: userId(shape, u), type: ODATA_TYPE.user });
  if (!roleAssignable && rng.chance(0.12) && index + 1 < shape.groups) {
    const nested = new Set<number>();
    const count = rng.range(1, 2);
    for (let k = 0; k < count; k++) nested.add(Math.min(shape.groups - 1, index + 1 + rng.int(50)));
    for (const g of nested) {
      if (!isRoleAssignableGroup(shape, g)) refs.push({ id: groupId(shape, g), type: ODATA_TYPE.group });
    }
  }
  if (!roleAssignable && rng.chance(0.02)) {
    refs.push({ id: servicePrincipalId(shape, rng.int(shape.applications)), type: ODATA_TYPE.servicePrincipal });
  }
  return refs;
}

/** Owners of base group `index`: zero to two users; the configured user owns every tenth group. */
export function generateGroupOwners(shape: TenantShape, index: number): DirectoryObjectRef[] {
  const rng = Rng.for(shape.seed, Kind.groupOwners, index);
  const owners = new Set<string>();
  if (index % 10 === 0) owners.add(shape.configuredUserId);
  const count = rng.int(3);
  for (let k = 0; k < count; k++) owners.add(userId(shape, rng.int(shape.users)));
  return [...owners].map((id) => ({ id, type: ODATA_TYPE.user }));
}
