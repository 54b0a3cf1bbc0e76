import { ROLE_TEMPLATES } from "../data/role-templates.js";
import { decodeIndex, indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { isoSeconds, isoTicks } from "../util/time.js";
import { AuditStore } from "./audit-store.js";
import { ChangeLog, type DeltaCollection, type RemovedReason } from "./change-log.js";
import { CollectionStore } from "./collection-store.js";
import { generateApplication } from "./generate-application.js";
import { generateAudit } from "./generate-audit.js";
import {
  generateDirectoryRole,
  generateDirectoryRoleMembers,
  generateDirectoryRoleTemplate,
} from "./generate-directory-role.js";
import {
  generateAdminConsentRequestPolicy,
  generateDeletedItems,
  generateIdentityProviders,
  type DeletedItem,
} from "./generate-fixed-objects.js";
import { generateGroup, generateGroupMembers, generateGroupOwners } from "./generate-group.js";
import { generateServicePrincipal, servicePrincipalCount } from "./generate-service-principal.js";
import { generateUser } from "./generate-user.js";
import { ODATA_TYPE, type DirectoryObjectRef, type GraphObject } from "./graph-object.js";
import { RelationStore } from "./relation-store.js";
import type { TenantShape } from "./tenant-shape.js";

export type RelationName = "groupMembers" | "groupOwners" | "directoryRoleMembers";

/** The collection a relation's parents are in. */
const parentCollectionOf = (relation: RelationName): DeltaCollection => (relation === "directoryRoleMembers" ? "directoryRoles" : "groups");

const isUnified = (group: GraphObject) => Array.isArray(group["groupTypes"]) && group["groupTypes"].includes("Unified");

/** A group or role an object is a member or owner of. */
interface ObjectLink {
  relation: RelationName;
  parentId: string;
}

const TYPE_OF: Record<DeltaCollection, string> = {
  users: ODATA_TYPE.user,
  groups: ODATA_TYPE.group,
  applications: ODATA_TYPE.application,
  servicePrincipals: ODATA_TYPE.servicePrincipal,
  directoryRoles: "#microsoft.graph.directoryRole",
};

/**
 * The simulated tenant: generated base objects plus every mutation since start. All reads used by
 * the HTTP endpoints and the control API go through here.
 */
export class Tenant {
  readonly log = new ChangeLog();
  readonly users: CollectionStore;
  readonly groups: CollectionStore;
  readonly applications: CollectionStore;
  readonly servicePrincipals: CollectionStore;
  readonly directoryRoles: CollectionStore;
  readonly groupMembers: RelationStore;
  readonly groupOwners: RelationStore;
  readonly roleMembers: RelationStore;
  readonly applicationOwners: RelationStore;
  readonly audits: AuditStore;
  readonly roleTemplates: readonly GraphObject[];
  readonly identityProviders: readonly GraphObject[];
  policy: GraphObject;
  readonly deletedItems: DeletedItem[];
  /** The groups and roles each soft-deleted object left, which a restore gives back. */
  private readonly linksOfDeleted = new Map<string, ObjectLink[]>();
  private createdCount = 0;

  constructor(readonly shape: TenantShape) {
    const s = shape;
    const source = (kind: number, count: number, generate: (i: number) => GraphObject) => ({
      count,
      generate,
      idOf: (i: number) => indexedGuid(s.seed, kind, i),
      indexOf: (id: string) => decodeIndex(s.seed, kind, id, count),
    });
    this.users = new CollectionStore("users", source(Kind.user, s.users, (i) => generateUser(s, i)), this.log);
    this.groups = new CollectionStore("groups", source(Kind.group, s.groups, (i) => generateGroup(s, i)), this.log);
    this.applications = new CollectionStore("applications", source(Kind.application, s.applications, (i) => generateApplication(s, i)), this.log);
    this.servicePrincipals = new CollectionStore(
      "servicePrincipals",
      source(Kind.servicePrincipal, servicePrincipalCount(s), (i) => generateServicePrincipal(s, i)),
      this.log,
    );
    this.directoryRoles = new CollectionStore("directoryRoles", source(Kind.directoryRole, s.directoryRoles, (i) => generateDirectoryRole(s, i)), this.log);
    const baseRefs = (kind: number, count: number, gen: (i: number) => DirectoryObjectRef[]) => (parentId: string) => {
      const index = decodeIndex(s.seed, kind, parentId, count);
      return index === undefined ? [] : gen(index);
    };
    this.groupMembers = new RelationStore(baseRefs(Kind.group, s.groups, (i) => generateGroupMembers(s, i)));
    this.groupOwners = new RelationStore(baseRefs(Kind.group, s.groups, (i) => generateGroupOwners(s, i)));
    this.roleMembers = new RelationStore(baseRefs(Kind.directoryRole, s.directoryRoles, (i) => generateDirectoryRoleMembers(s, i)));
    this.applicationOwners = new RelationStore(
      baseRefs(Kind.application, s.applications, (i) => (i % 10 === 0 ? [{ id: s.configuredUserId, type: ODATA_TYPE.user }] : [])),
    );
    this.audits = new AuditStore(s);
    this.roleTemplates = ROLE_TEMPLATES.map((_, i) => generateDirectoryRoleTemplate(i));
    this.identityProviders = generateIdentityProviders(s);
    this.policy = generateAdminConsentRequestPolicy(s);
    this.deletedItems = generateDeletedItems(s);
  }

  store(collection: DeltaCollection): CollectionStore {
    switch (collection) {
      case "users":
        return this.users;
      case "groups":
        return this.groups;
      case "applications":
        return this.applications;
      case "servicePrincipals":
        return this.servicePrincipals;
      case "directoryRoles":
        return this.directoryRoles;
    }
  }

  relation(name: RelationName): RelationStore {
    return name === "groupMembers" ? this.groupMembers : name === "groupOwners" ? this.groupOwners : this.roleMembers;
  }

  /** A fresh id for a created object (deterministic in seed and creation order). */
  newId(): string {
    return Rng.for(this.shape.seed, Kind.created, this.createdCount++).guid();
  }

  /** Creates an object from a generated template of the same kind, overridden by `props`. */
  create(collection: DeltaCollection, props: GraphObject, nowMs: number): GraphObject {
    const s = this.shape;
    const n = this.createdCount;
    const template =
      collection === "users" ? generateUser(s, s.users + n)
      : collection === "groups" ? generateGroup(s, s.groups + n)
      : collection === "applications" ? generateApplication(s, s.applications + n)
      : collection === "servicePrincipals" ? generateServicePrincipal(s, servicePrincipalCount(s) + n)
      : undefined;
    if (template === undefined) throw new Error(`${collection} cannot be created`);
    for (const key of Object.keys(template)) if (key.startsWith("extension_")) delete template[key];
    if ("createdDateTime" in template) {
      template["createdDateTime"] = collection === "applications" ? isoTicks(nowMs, 0) : isoSeconds(nowMs);
    }
    const id = typeof props["id"] === "string" ? props["id"] : this.newId();
    if (typeof props["id"] === "string") this.createdCount++;
    return this.store(collection).create({ ...template, ...props, id });
  }

  update(collection: DeltaCollection, id: string, patch: GraphObject): string[] {
    return this.store(collection).update(id, patch);
  }

  /**
   * Deletes an object. Soft deletes report `changed` (restorable; groups and applications move to
   * deleted items), hard deletes `deleted`; a group other than a Microsoft 365 one is always
   * deleted hard. The object also leaves every group and role it was in. Hard-deleting a
   * soft-deleted object purges it: it can no longer be restored.
   */
  remove(collection: DeltaCollection, id: string, hard: boolean, nowMs: number): void {
    const store = this.store(collection);
    const deletedIndex = this.deletedItems.findIndex((d) => d.object["id"] === id);
    if (!store.has(id)) {
      const softDeleted = store.removedReason(id) === "changed";
      // Generated deleted items were never in the store.
      if (hard && (softDeleted || deletedIndex >= 0)) {
        if (deletedIndex >= 0) this.deletedItems.splice(deletedIndex, 1);
        this.linksOfDeleted.delete(id);
        if (softDeleted) store.purge(id);
        else this.log.append(collection, { id, op: "removed", reason: "deleted" });
        return;
      }
      throw new Error(`${collection}: no object with id ${id}`);
    }
    // Only Microsoft 365 groups can be restored (Graph's restore docs; graph-api.md is silent): deleting another group is for good.
    const permanent = hard || (collection === "groups" && !isUnified(store.get(id)!));
    const reason: RemovedReason = permanent ? "deleted" : "changed";
    const ownersRelation = collection === "groups" ? this.groupOwners : collection === "applications" ? this.applicationOwners : undefined;
    const owners = ownersRelation?.list(id) ?? [];
    const snapshot = store.remove(id, reason);
    const links = this.detachEverywhere(id);
    if (!permanent) this.linksOfDeleted.set(id, links);
    if (!permanent && (collection === "groups" || collection === "applications")) {
      snapshot["deletedDateTime"] = collection === "applications" ? isoTicks(nowMs, 0) : isoSeconds(nowMs);
      this.deletedItems.push({ type: collection === "groups" ? "Group" : "Application", object: snapshot, owners });
    }
  }

  /**
   * Restores a soft-deleted object with the memberships and ownerships it had (Graph's
   * `POST /directory/deletedItems/{id}/restore`; that memberships come back is unconfirmed).
   * It leaves deleted items, and delta sends it whole, with its members.
   */
  restore(collection: DeltaCollection, id: string): GraphObject {
    const restored = this.store(collection).restore(id);
    const deletedIndex = this.deletedItems.findIndex((d) => d.object["id"] === id);
    if (deletedIndex >= 0) this.deletedItems.splice(deletedIndex, 1);
    for (const { relation, parentId } of this.linksOfDeleted.get(id) ?? []) {
      if (this.store(parentCollectionOf(relation)).has(parentId)) this.link(relation, parentId, id);
    }
    this.linksOfDeleted.delete(id);
    return restored;
  }

  /** Adds a directory object to a group's members/owners or a role's members. */
  link(relation: RelationName, parentId: string, memberId: string): boolean {
    const parentCollection = parentCollectionOf(relation);
    if (!this.store(parentCollection).has(parentId)) throw new Error(`${parentCollection}: no object with id ${parentId}`);
    const ref = this.refOf(memberId);
    if (ref === undefined) throw new Error(`no user, group or service principal with id ${memberId}`);
    if (relation === "groupOwners" && ref.type === ODATA_TYPE.group) throw new Error("a group cannot own a group");
    if (relation === "groupMembers" && memberId === parentId) throw new Error("a group cannot be a member of itself");
    const added = this.relation(relation).add(parentId, ref);
    if (added) this.logLink(relation, parentId, ref, true);
    return added;
  }

  unlink(relation: RelationName, parentId: string, memberId: string): boolean {
    const ref = this.relation(relation).remove(parentId, memberId);
    if (ref === undefined) return false;
    this.logLink(relation, parentId, ref, false);
    return true;
  }

  /** Records an edge added or removed in the change log of its parent's collection, for delta. */
  private logLink(relation: RelationName, parentId: string, ref: DirectoryObjectRef, added: boolean): void {
    this.log.append(parentCollectionOf(relation), { id: parentId, op: "link", relation: relation === "groupOwners" ? "owners" : "members", ref, added });
  }

  /** The typed reference of a live user, group or service principal. */
  refOf(id: string): DirectoryObjectRef | undefined {
    for (const c of ["users", "groups", "servicePrincipals"] as const) {
      if (this.store(c).has(id)) return { id, type: TYPE_OF[c] };
    }
    return undefined;
  }

  appendAudit(partial: GraphObject, nowMs: number): GraphObject {
    const rng = Rng.for(this.shape.seed, Kind.created, 0x10000000 + this.createdCount++);
    const template = generateAudit(this.shape, rng.int(this.shape.audits));
    const event: GraphObject = {
      ...template,
      id: `Directory_${rng.guid()}_${rng.token(5).toUpperCase()}_${rng.range(100000000, 999999999)}`,
      correlationId: rng.guid(),
      activityDateTime: isoTicks(nowMs, 0),
      ...partial,
    };
    return this.audits.append(event);
  }

  /**
   * Removes an object from every group membership, group ownership and role membership, those of
   * soft-deleted groups too (a restored group must not bring back a member deleted meanwhile);
   * returns those it left.
   */
  private detachEverywhere(id: string): ObjectLink[] {
    const links: ObjectLink[] = [];
    const detach = (relation: RelationName, parentId: string) => {
      if (this.unlink(relation, parentId, id)) links.push({ relation, parentId });
    };
    for (const gid of [...this.groups.ids(), ...this.groups.softDeletedIds()]) {
      detach("groupMembers", gid);
      detach("groupOwners", gid);
    }
    for (const rid of this.directoryRoles.ids()) detach("directoryRoleMembers", rid);
    return links;
  }
}
