import type { FaultRule } from "../faults/fault-rule.js";
import { parseFaultSpec } from "../faults/parse-fault-spec.js";
import type { DeltaCollection } from "../model/change-log.js";
import type { DirectoryObjectRef, GraphObject } from "../model/graph-object.js";
import { servicePrincipalCount } from "../model/generate-service-principal.js";
import type { RelationName, Tenant } from "../model/tenant.js";
import type { SimulatorRuntime } from "../runtime.js";
import type {
  DeleteOptions,
  GraphSimulatorControl,
  MutableCollection,
  ReadableCollection,
  RelationshipEdge,
  TenantSummary,
} from "../types.js";
import { DAY_MS } from "../util/time.js";

const MUTABLE: readonly MutableCollection[] = ["users", "groups", "applications", "servicePrincipals"];

/** The in-process control API. Mutations are logged for delta; reads return copies. */
export function createControl(rt: SimulatorRuntime): GraphSimulatorControl {
  const tenant = (): Tenant => rt.env.tenant;
  const nowMs = (): number => rt.env.now().getTime();
  const mutable = (collection: string): DeltaCollection => {
    if (!(MUTABLE as readonly string[]).includes(collection)) throw new Error(`unknown collection "${collection}" (expected ${MUTABLE.join(", ")})`);
    return collection as DeltaCollection;
  };
  const roleIdOf = (roleId: string): string => {
    if (tenant().directoryRoles.has(roleId)) return roleId;
    for (const role of tenant().directoryRoles.iterate()) if (role["roleTemplateId"] === roleId) return role["id"] as string;
    throw new Error(`no activated directory role with id or template id ${roleId}`);
  };

  const control: GraphSimulatorControl = {
    create: (collection, props = {}) => tenant().create(mutable(collection), props, nowMs()),
    update: (collection, id, patch) => tenant().update(mutable(collection), id, patch),
    delete: (collection, id, options: DeleteOptions = {}) => tenant().remove(mutable(collection), id, options.hard === true, nowMs()),
    restore: (collection, id) => tenant().restore(mutable(collection), id),
    createUser: (props) => control.create("users", props),
    updateUser: (id, patch) => control.update("users", id, patch),
    deleteUser: (id, options) => control.delete("users", id, options),
    restoreUser: (id) => control.restore("users", id),
    createGroup: (props) => control.create("groups", props),
    updateGroup: (id, patch) => control.update("groups", id, patch),
    deleteGroup: (id, options) => control.delete("groups", id, options),
    createApplication: (props) => control.create("applications", props),
    updateApplication: (id, patch) => control.update("applications", id, patch),
    deleteApplication: (id, options) => control.delete("applications", id, options),
    addGroupMember: (groupId, memberId) => tenant().link("groupMembers", groupId, memberId),
    removeGroupMember: (groupId, memberId) => tenant().unlink("groupMembers", groupId, memberId),
    addGroupOwner: (groupId, ownerId) => tenant().link("groupOwners", groupId, ownerId),
    removeGroupOwner: (groupId, ownerId) => tenant().unlink("groupOwners", groupId, ownerId),
    addDirectoryRoleMember: (roleId, memberId) => tenant().link("directoryRoleMembers", roleIdOf(roleId), memberId),
    removeDirectoryRoleMember: (roleId, memberId) => tenant().unlink("directoryRoleMembers", roleIdOf(roleId), memberId),
    appendAuditEvent: (event = {}) => tenant().appendAudit(event, nowMs()),
    setAdminConsentRequestPolicy: (patch) => {
      tenant().policy = { ...tenant().policy, ...structuredClone(patch) };
    },

    addFaults: (rules) => rt.faults.add(typeof rules === "string" ? parseFaultSpec(rules) : Array.isArray(rules) ? rules : [rules as FaultRule]),
    clearFaults: () => rt.faults.clear(),
    faults: () => rt.faults.list(),
    setLatency: (ms) => {
      rt.latencyMs = Math.max(0, ms);
    },
    setThrottling: (config) => rt.throttler.configure(config),
    revokePermission: (permission) => {
      rt.env.settings.permissions.delete(permission);
    },
    grantPermission: (permission) => {
      rt.env.settings.permissions.add(permission);
    },
    permissions: () => [...rt.env.settings.permissions].sort(),
    setSignInActivityLicensed: (licensed) => {
      rt.env.settings.signInActivityLicensed = licensed;
    },
    expireAccessTokens: () => rt.tokens.expire(),
    expireDeltaTokens: () => {
      rt.env.settings.deltaTokenGeneration += 1;
    },
    expirePageTokens: () => {
      rt.env.settings.pageTokenGeneration += 1;
    },
    setClientSecretExpired: (expired) => {
      rt.secret.expired = expired;
    },

    counters: () => rt.recorder.counters(),
    requestLog: () => rt.recorder.log(),
    resetCounters: () => rt.recorder.reset(),

    objects: (collection) => readObjects(rt, collection),
    getObject: (collection, id) => {
      if (collection === "users" || collection === "groups" || collection === "applications" || collection === "servicePrincipals" || collection === "directoryRoles") {
        return tenant().store(collection).get(id);
      }
      for (const obj of readObjects(rt, collection)) if (obj["id"] === id) return obj;
      return undefined;
    },
    groupMembers: (groupId) => tenant().groupMembers.list(groupId),
    groupOwners: (groupId) => tenant().groupOwners.list(groupId),
    directoryRoleMembers: (roleId) => tenant().roleMembers.list(roleIdOf(roleId)),
    groupMemberships: () => edges(tenant(), "groups", "groupMembers"),
    groupOwnerships: () => edges(tenant(), "groups", "groupOwners"),
    directoryRoleMemberships: () => edges(tenant(), "directoryRoles", "directoryRoleMembers"),
    adminConsentRequestPolicy: () => structuredClone(tenant().policy),
    deletedItems: (userId, type) => {
      const cutoff = nowMs() - 30 * DAY_MS;
      return tenant()
        .deletedItems.filter((d) => d.type === type && d.owners.some((o: DirectoryObjectRef) => o.id === userId))
        .filter((d) => Date.parse(String(d.object["deletedDateTime"])) >= cutoff)
        .map((d) => structuredClone(d.object))
        .sort((a, b) => String(a["id"]).localeCompare(String(b["id"])))
        .slice(0, 1000);
    },
    shape: (): TenantSummary => {
      const s = tenant().shape;
      return {
        tenantId: s.tenantId,
        domain: s.domain,
        users: s.users,
        groups: s.groups,
        applications: s.applications,
        servicePrincipals: servicePrincipalCount(s),
        directoryRoles: s.directoryRoles,
        directoryRoleTemplates: tenant().roleTemplates.length,
        directoryAudits: s.audits,
        identityProviders: tenant().identityProviders.length,
        anchor: new Date(s.anchorMs).toISOString(),
      };
    },
  };
  return clearingResponsesOnChange(control, rt);
}

function* readObjects(rt: SimulatorRuntime, collection: ReadableCollection): IterableIterator<GraphObject> {
  const tenant = rt.env.tenant;
  switch (collection) {
    case "users":
    case "groups":
    case "applications":
    case "servicePrincipals":
    case "directoryRoles":
      yield* tenant.store(collection).iterate();
      return;
    case "directoryRoleTemplates":
      for (const t of tenant.roleTemplates) yield structuredClone(t);
      return;
    case "identityProviders":
      for (const p of tenant.identityProviders) yield structuredClone(p);
      return;
    case "directoryAudits": {
      // Ascending, inside the 30-day retention window, as the endpoint would serve them.
      const cutoff = new Date(rt.env.now().getTime() - 30 * DAY_MS).toISOString().slice(0, 23) + "0000Z";
      for (const entry of tenant.audits.read({ lower: { time: cutoff, inclusive: true } }, false, undefined)) yield entry.object();
      return;
    }
    default:
      throw new Error(`unknown collection "${String(collection)}"`);
  }
}

function* edges(tenant: Tenant, parents: "groups" | "directoryRoles", relation: RelationName): IterableIterator<RelationshipEdge> {
  const store = tenant.relation(relation);
  for (const parentId of tenant.store(parents).ids()) {
    for (const ref of store.list(parentId)) yield { parentId, memberId: ref.id, memberType: ref.type };
  }
}

/** Control calls that only read or change how requests are answered, never what a page holds. */
const LEAVES_PAGES_AS_THEY_ARE: ReadonlySet<string> = new Set([
  "addFaults", "clearFaults", "faults", "setLatency", "setThrottling", "revokePermission", "grantPermission", "permissions",
  "expireAccessTokens", "setClientSecretExpired", "counters", "requestLog", "resetCounters", "objects", "getObject",
  "groupMembers", "groupOwners", "directoryRoleMembers", "groupMemberships", "groupOwnerships", "directoryRoleMemberships",
  "adminConsentRequestPolicy", "deletedItems", "shape",
] satisfies (keyof GraphSimulatorControl)[]);

/**
 * Every other call (any mutation, including ones added later) forgets the rendered pages after it
 * runs, so no request is ever answered from before the change.
 */
function clearingResponsesOnChange(control: GraphSimulatorControl, rt: SimulatorRuntime): GraphSimulatorControl {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(control)) {
    wrapped[name] =
      typeof member !== "function" || LEAVES_PAGES_AS_THEY_ARE.has(name)
        ? member
        : (...args: unknown[]) => {
            try {
              return (member as (...a: unknown[]) => unknown)(...args);
            } finally {
              rt.responses.clear();
            }
          };
  }
  return wrapped as unknown as GraphSimulatorControl;
}
