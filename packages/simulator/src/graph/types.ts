import type { FaultRule } from "./faults/fault-rule.js";
import type { DirectoryObjectRef, GraphObject } from "./model/graph-object.js";
import type { RequestCounters, RequestLogEntry } from "./observe/request-log.js";
import type { ThrottleBudgets } from "./throttle/throttle-budgets.js";

export interface GraphSimulatorOptions {
  /** Number of users in the generated tenant (default 100). Everything else scales from it. */
  users?: number;
  /** PRNG seed (default 1). Same seed, users and anchor day => byte-identical tenant. */
  seed?: number;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The configured user owning deleted items; default: generated user 0 (a Global Administrator). */
  userId?: string;
  /** Access-token lifetime in seconds (default 3599). */
  tokenLifetimeSeconds?: number;
  /** Added to every Graph request (default 0). */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Graph's request budgets (§6). true/undefined: Graph's defaults; false: off; object: tuned. */
  throttling?: boolean | ThrottleBudgets;
  /** Default true; false makes $select=signInActivity answer 403 (non-premium tenant). */
  signInActivityLicensed?: boolean;
  /** The simulator's clock: token expiry, delta-token age, audit retention, timestamps of mutations. */
  now?: () => Date;
  /** Where ca.pem goes; default a fresh temp dir. */
  stateDir?: string;
  /** Application permissions granted to the client (default: the read-only set in graph-api.md §0). */
  permissions?: string[];
  /** Objects per delta page (default 200; Graph does not let clients choose). */
  deltaPageSize?: number;
  /**
   * Sends each change as its own item of a delta round instead of one item per object: an object
   * changed twice since the last round comes twice, as Graph may send it ("replays", graph-api.md
   * section 5.2). Default false.
   */
  deltaReplays?: boolean;
  /** Member references per delta page before a big group continues on the next page (default 1000). */
  deltaMembersPerPage?: number;
  /** How an expired delta token answers: 400 syncStateNotFound (default) or 410 Gone with Location (§5.5). */
  expiredDeltaTokenStatus?: 400 | 410;
  /** Delta-token lifetime in days (default 7). */
  deltaTokenLifetimeDays?: number;
  /**
   * Memory for rendered pages, in MiB (default 1024; 0 turns it off), so that paging the unchanged
   * tenant again replays them instead of generating every object again.
   */
  responseCacheMb?: number;
}

/** Collections the control API can create, update and delete objects in. */
export type MutableCollection = "users" | "groups" | "applications" | "servicePrincipals";

/** Collections readable through the control API's iterators. */
export type ReadableCollection =
  | MutableCollection
  | "directoryRoles"
  | "directoryRoleTemplates"
  | "directoryAudits"
  | "identityProviders";

/** One relationship edge (group member, group owner, role member). */
export interface RelationshipEdge {
  parentId: string;
  memberId: string;
  /** "#microsoft.graph.user", "#microsoft.graph.group", "#microsoft.graph.servicePrincipal" */
  memberType: string;
}

export interface DeleteOptions {
  /** Hard delete: delta reports @removed reason "deleted" (default: soft, reason "changed"). */
  hard?: boolean;
}

/** Test and demo control over a running simulator (also served over HTTP under /_simulator/). */
export interface GraphSimulatorControl {
  // --- tenant mutations --------------------------------------------------------------------------
  create(collection: MutableCollection, props?: GraphObject): GraphObject;
  update(collection: MutableCollection, id: string, patch: GraphObject): string[];
  delete(collection: MutableCollection, id: string, options?: DeleteOptions): void;
  /** Restores a soft-deleted object, with the groups and roles it was in. */
  restore(collection: MutableCollection, id: string): GraphObject;
  createUser(props?: GraphObject): GraphObject;
  updateUser(id: string, patch: GraphObject): string[];
  deleteUser(id: string, options?: DeleteOptions): void;
  restoreUser(id: string): GraphObject;
  createGroup(props?: GraphObject): GraphObject;
  updateGroup(id: string, patch: GraphObject): string[];
  deleteGroup(id: string, options?: DeleteOptions): void;
  createApplication(props?: GraphObject): GraphObject;
  updateApplication(id: string, patch: GraphObject): string[];
  deleteApplication(id: string, options?: DeleteOptions): void;
  /** Returns false when the member was already there. */
  addGroupMember(groupId: string, memberId: string): boolean;
  removeGroupMember(groupId: string, memberId: string): boolean;
  addGroupOwner(groupId: string, ownerId: string): boolean;
  removeGroupOwner(groupId: string, ownerId: string): boolean;
  /** roleId may be the directoryRole id or its roleTemplateId. */
  addDirectoryRoleMember(roleId: string, memberId: string): boolean;
  removeDirectoryRoleMember(roleId: string, memberId: string): boolean;
  /** Appends an audit event; activityDateTime may be in the past (a late arrival). Defaults fill the rest. */
  appendAuditEvent(event?: GraphObject): GraphObject;
  setAdminConsentRequestPolicy(patch: GraphObject): void;

  // --- faults and switches -----------------------------------------------------------------------
  addFaults(rules: FaultRule | FaultRule[] | string): void;
  clearFaults(): void;
  faults(): FaultRule[];
  setLatency(ms: number): void;
  setThrottling(config: boolean | ThrottleBudgets): void;
  revokePermission(permission: string): void;
  grantPermission(permission: string): void;
  permissions(): string[];
  setSignInActivityLicensed(licensed: boolean): void;
  /** Every access token issued so far answers 401 InvalidAuthenticationToken from now on. */
  expireAccessTokens(): void;
  /** Every delta/skip token issued so far answers the expired-token error from now on. */
  expireDeltaTokens(): void;
  /** List and audit page tokens ($skiptoken) minted so far are refused: Directory_ExpiredPageToken. */
  expirePageTokens(): void;
  /** The token endpoint answers AADSTS7000222 (expired secret) until called with false. */
  setClientSecretExpired(expired: boolean): void;

  // --- observation -------------------------------------------------------------------------------
  counters(): RequestCounters;
  requestLog(): RequestLogEntry[];
  resetCounters(): void;

  // --- the tenant as it is now (full objects, for computing expected warehouse contents) ----------
  objects(collection: ReadableCollection): IterableIterator<GraphObject>;
  getObject(collection: ReadableCollection, id: string): GraphObject | undefined;
  groupMembers(groupId: string): DirectoryObjectRef[];
  groupOwners(groupId: string): DirectoryObjectRef[];
  directoryRoleMembers(roleId: string): DirectoryObjectRef[];
  groupMemberships(): IterableIterator<RelationshipEdge>;
  groupOwnerships(): IterableIterator<RelationshipEdge>;
  directoryRoleMemberships(): IterableIterator<RelationshipEdge>;
  adminConsentRequestPolicy(): GraphObject;
  /** What POST getUserOwnedObjects returns for this user and type (without @odata.type). */
  deletedItems(userId: string, type: "Group" | "Application"): GraphObject[];
  /** Sizes of the generated tenant. */
  shape(): TenantSummary;
}

export interface TenantSummary {
  tenantId: string;
  domain: string;
  users: number;
  groups: number;
  applications: number;
  servicePrincipals: number;
  directoryRoles: number;
  directoryRoleTemplates: number;
  directoryAudits: number;
  identityProviders: number;
  anchor: string;
}

export interface GraphSimulator {
  /** https://127.0.0.1:PORT/v1.0 */
  graphBaseUrl: string;
  /** https://127.0.0.1:PORT */
  authorityHost: string;
  /** https://127.0.0.1:PORT/{tenantId} */
  authorityUrl: string;
  /** OpenID configuration as JSON text, for MSAL's authorityMetadata (zero discovery requests). */
  authorityMetadata: string;
  /** https://127.0.0.1:PORT/_simulator */
  controlUrl: string;
  port: number;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  userId: string;
  caFile: string;
  caPem: string;
  control: GraphSimulatorControl;
  close(): Promise<void>;
}
