import { Kind, Rng } from "../util/prng.js";
import { DAY_MS, isoTicks } from "../util/time.js";
import { ACTIVATED_TEMPLATE_COUNT, ROLE_TEMPLATES } from "../data/role-templates.js";
import { applicationAppId, applicationDisplayName } from "./generate-application.js";
import { directoryRoleId } from "./generate-directory-role.js";
import { groupId } from "./generate-group.js";
import { generateUser, userId } from "./generate-user.js";
import { servicePrincipalId } from "./generate-service-principal.js";
import type { GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

// Base audit events are spread evenly over the 30 days before the anchor: event i lands in slot i
// with a random offset inside the slot, so activityDateTime is strictly increasing in i and a time
// filter becomes a binary search over indexes.

export const AUDIT_WINDOW_MS = 30 * DAY_MS;

/** The activityDateTime of base event `index` (fixed-width, 7 fractional digits). */
export function auditTime(shape: TenantShape, index: number): string {
  const slot = AUDIT_WINDOW_MS / shape.audits;
  const rng = Rng.for(shape.seed, Kind.audit, index);
  const offset = rng.next() * slot * 0.999;
  const ms = shape.anchorMs - AUDIT_WINDOW_MS + index * slot + offset;
  return isoTicks(ms, rng.int(10000));
}

const ACTIVITIES: readonly { name: string; category: string; service: string; target: "User" | "Group" | "Application" | "ServicePrincipal" }[] = [
  { name: "Add member to group", category: "GroupManagement", service: "Core Directory", target: "Group" },
  { name: "Remove member from group", category: "GroupManagement", service: "Core Directory", target: "Group" },
  { name: "Add owner to group", category: "GroupManagement", service: "Core Directory", target: "Group" },
  { name: "Remove owner from group", category: "GroupManagement", service: "Core Directory", target: "Group" },
  { name: "Update user", category: "UserManagement", service: "Core Directory", target: "User" },
  { name: "Add user", category: "UserManagement", service: "Core Directory", target: "User" },
  { name: "Reset password (by admin)", category: "UserManagement", service: "Self-service Password Management", target: "User" },
  { name: "Update application – Certificates and secrets management ", category: "ApplicationManagement", service: "Core Directory", target: "Application" },
  { name: "Add member to role", category: "RoleManagement", service: "Core Directory", target: "User" },
  { name: "Consent to application", category: "ApplicationManagement", service: "Core Directory", target: "ServicePrincipal" },
  { name: "Add group", category: "GroupManagement", service: "Core Directory", target: "Group" },
  { name: "Update policy", category: "Policy", service: "Core Directory", target: "ServicePrincipal" },
];

/** Events about a group's members or owners, whose targets are the user, then the group. */
const GROUP_LINKS = new Set(["Add member to group", "Remove member from group", "Add owner to group", "Remove owner from group"]);

/** A JSON-encoded value as Entra writes modified properties: set when added, cleared when removed. */
function linkValue(added: boolean, v: string): { oldValue: string | null; newValue: string | null } {
  return added ? { oldValue: null, newValue: JSON.stringify(v) } : { oldValue: JSON.stringify(v), newValue: null };
}

/**
 * A membership or ownership event's targets as Entra writes them: the member or owner first,
 * carrying the group in its Group.ObjectID and Group.DisplayName properties, then the group itself.
 */
function membershipTargets(shape: TenantShape, rng: Rng, group: string, added: boolean): GraphObject[] {
  const member = generateUser(shape, rng.int(shape.users));
  const value = (v: string) => linkValue(added, v);
  return [
    {
      id: member["id"],
      displayName: null,
      type: "User",
      userPrincipalName: member["userPrincipalName"],
      groupType: null,
      modifiedProperties: [
        { displayName: "Group.ObjectID", ...value(group) },
        { displayName: "Group.DisplayName", ...value(`group ${group.slice(0, 8)}`) },
      ],
    },
    { id: group, displayName: null, type: "Group", userPrincipalName: null, groupType: "unifiedGroups", modifiedProperties: [] },
  ];
}

/** The role an "Add member to role" event names in its user target's Role.* properties. */
function roleProperties(shape: TenantShape, rng: Rng): GraphObject[] {
  const index = rng.int(ACTIVATED_TEMPLATE_COUNT);
  const template = ROLE_TEMPLATES[index]!;
  return [
    { displayName: "Role.ObjectID", ...linkValue(true, directoryRoleId(shape, index)) },
    { displayName: "Role.DisplayName", ...linkValue(true, template.displayName) },
    { displayName: "Role.TemplateId", ...linkValue(true, template.id) },
    { displayName: "Role.WellKnownObjectName", ...linkValue(true, template.displayName.replace(/ /g, "")) },
  ];
}

export function generateAudit(shape: TenantShape, index: number): GraphObject {
  const rng = Rng.for(shape.seed, Kind.audit, index + 0x10000000);
  const activity = rng.pick(ACTIVITIES);
  const time = auditTime(shape, index);
  const byApp = rng.chance(0.3);
  const actorIndex = rng.chance(0.5) ? 0 : rng.int(shape.users);
  const actor = byApp ? null : generateUser(shape, actorIndex);
  const result = rng.chance(0.95) ? "success" : "failure";
  const appIndex = rng.int(shape.applications);
  const targetIndex = rng.int(activity.target === "User" ? shape.users : activity.target === "Group" ? shape.groups : shape.applications);
  const targetId =
    activity.target === "User" ? userId(shape, targetIndex)
    : activity.target === "Group" ? groupId(shape, targetIndex)
    : activity.target === "ServicePrincipal" ? servicePrincipalId(shape, targetIndex)
    : applicationAppId(shape, targetIndex);
  return {
    id: `Directory_${rng.guid()}_${rng.token(5).toUpperCase()}_${rng.range(100000000, 999999999)}`,
    category: activity.category,
    correlationId: rng.guid(),
    result,
    resultReason: result === "failure" ? "Microsoft.Online.Workflows.ObjectAlreadyExistsException" : "",
    activityDisplayName: activity.name,
    activityDateTime: time,
    loggedByService: activity.service,
    operationType: activity.name.startsWith("Add") ? "Add" : activity.name.startsWith("Remove") ? "Delete" : "Update",
    initiatedBy: {
      app: byApp
        ? { appId: applicationAppId(shape, appIndex), displayName: applicationDisplayName(shape, appIndex), servicePrincipalId: servicePrincipalId(shape, appIndex), servicePrincipalName: null }
        : null,
      user: actor
        ? {
            id: actor["id"],
            displayName: null,
            userPrincipalName: actor["userPrincipalName"],
            ipAddress: rng.chance(0.8) ? `203.0.113.${rng.int(255)}` : "",
            userType: null,
            homeTenantId: null,
            homeTenantName: null,
          }
        : null,
    },
    targetResources: GROUP_LINKS.has(activity.name)
      ? membershipTargets(shape, rng, targetId, activity.name.startsWith("Add"))
      : [
          {
            id: targetId,
            displayName: activity.target === "User" ? null : `target ${targetIndex}`,
            type: activity.target,
            userPrincipalName: null,
            groupType: activity.target === "Group" ? "unifiedGroups" : null,
            modifiedProperties: activity.name === "Add member to role"
              ? roleProperties(shape, rng)
              : rng.chance(0.6)
              ? [{ displayName: "DisplayName", oldValue: JSON.stringify([`old ${targetIndex}`]), newValue: JSON.stringify([`new ${targetIndex} ✓`]) }]
              : [],
          },
        ],
    additionalDetails: rng.chance(0.4) ? [{ key: "User-Agent", value: "Mozilla/5.0 (kaivo-sim)" }] : [],
  };
}
