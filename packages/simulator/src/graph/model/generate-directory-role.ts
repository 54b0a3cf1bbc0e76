import { ROLE_TEMPLATES } from "../data/role-templates.js";
import { indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { groupId } from "./generate-group.js";
import { servicePrincipalId } from "./generate-service-principal.js";
import { userId } from "./generate-user.js";
import { ODATA_TYPE, type DirectoryObjectRef, type GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

export function directoryRoleId(shape: TenantShape, index: number): string {
  return indexedGuid(shape.seed, Kind.directoryRole, index);
}

/** Activated role `index` (the first ACTIVATED_TEMPLATE_COUNT templates; Global Administrator first). */
export function generateDirectoryRole(shape: TenantShape, index: number): GraphObject {
  const template = ROLE_TEMPLATES[index];
  if (template === undefined) throw new Error(`no role template ${index}`);
  return {
    id: directoryRoleId(shape, index),
    deletedDateTime: null,
    description: template.description,
    displayName: template.displayName,
    roleTemplateId: template.id,
  };
}

/** Members of role `index`: users, some role-assignable groups, some service principals. */
export function generateDirectoryRoleMembers(shape: TenantShape, index: number): DirectoryObjectRef[] {
  const rng = Rng.for(shape.seed, Kind.roleMembers, index);
  const users = new Set<number>();
  if (index === 0) users.add(0);
  const count = index === 0 ? rng.range(1, 3) : rng.int(6);
  for (let k = 0; k < count; k++) users.add(rng.int(shape.users));
  const refs: DirectoryObjectRef[] = [...users].map((u) => ({ id: userId(shape, u), type: ODATA_TYPE.user }));
  if (index === 0) refs.push({ id: groupId(shape, 0), type: ODATA_TYPE.group });
  else if (rng.chance(0.3)) refs.push({ id: groupId(shape, rng.int(shape.roleAssignableGroups)), type: ODATA_TYPE.group });
  if (index !== 0 && rng.chance(0.25)) {
    refs.push({ id: servicePrincipalId(shape, rng.int(shape.applications)), type: ODATA_TYPE.servicePrincipal });
  }
  return dedupe(refs);
}

function dedupe(refs: DirectoryObjectRef[]): DirectoryObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

export function generateDirectoryRoleTemplate(index: number): GraphObject {
  const template = ROLE_TEMPLATES[index];
  if (template === undefined) throw new Error(`no role template ${index}`);
  return { id: template.id, deletedDateTime: null, description: template.description, displayName: template.displayName };
}
