import { asciiSlug } from "../data/names.js";
import { Kind, Rng } from "../util/prng.js";
import { DAY_MS, isoSeconds, isoTicks } from "../util/time.js";
import { generateApplication } from "./generate-application.js";
import { generateGroup } from "./generate-group.js";
import { ODATA_TYPE, type DirectoryObjectRef, type GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

/** Identity providers of an Entra (workforce) tenant: built-in and social. */
export function generateIdentityProviders(shape: TenantShape): GraphObject[] {
  const rng = Rng.for(shape.seed, Kind.tenant, 1);
  return [
    { "@odata.type": "#microsoft.graph.builtInIdentityProvider", id: "AADSignup-OAUTH", displayName: "Azure Active Directory Sign up", identityProviderType: "AADSignup", state: null },
    { "@odata.type": "#microsoft.graph.builtInIdentityProvider", id: "EmailOtpSignup-OAUTH", displayName: "Email One Time Passcode", identityProviderType: "EmailOTP", state: null },
    { "@odata.type": "#microsoft.graph.builtInIdentityProvider", id: "MSASignup-OAUTH", displayName: "Microsoft Account", identityProviderType: "MicrosoftAccount", state: null },
    { "@odata.type": "#microsoft.graph.socialIdentityProvider", id: "Google-OAUTH", displayName: "Google", identityProviderType: "Google", clientId: `${rng.int(999999999999)}-${rng.token(12).toLowerCase()}.apps.googleusercontent.com`, clientSecret: "******" },
    { "@odata.type": "#microsoft.graph.socialIdentityProvider", id: "Facebook-OAUTH", displayName: "Facebook", identityProviderType: "Facebook", clientId: String(rng.range(100000000000000, 999999999999999)), clientSecret: "******" },
  ];
}

export function generateAdminConsentRequestPolicy(shape: TenantShape): GraphObject {
  return {
    isEnabled: true,
    notifyReviewers: false,
    remindersEnabled: true,
    requestDurationInDays: 30,
    version: 2,
    reviewers: [
      { query: `/users/${shape.configuredUserId}`, queryType: "MicrosoftGraph", queryRoot: null },
      { query: "/v1.0/groups/00000000-0000-0000-0000-000000000000/transitiveMembers/microsoft.graph.user", queryType: "MicrosoftGraph", queryRoot: null },
    ],
  };
}

/** A soft-deleted group or application held in the deleted-items container, with its owners. */
export interface DeletedItem {
  type: "Group" | "Application";
  object: GraphObject;
  owners: DirectoryObjectRef[];
}

/**
 * Deleted groups and applications at start: most owned by the configured user, a few by nobody we
 * know, all deleted within the last 25 days. Their ids come from a separate stream (never listed).
 */
export function generateDeletedItems(shape: TenantShape): DeletedItem[] {
  const rng = Rng.for(shape.seed, Kind.deletedItem, 0);
  const items: DeletedItem[] = [];
  const groups = 3 + rng.int(3);
  const apps = 2 + rng.int(2);
  for (let k = 0; k < groups + apps; k++) {
    const isGroup = k < groups;
    const template = isGroup ? generateGroup(shape, shape.groups - 1 - (k % shape.groups)) : generateApplication(shape, k % shape.applications);
    const deletedAt = shape.anchorMs - rng.range(1, 25) * DAY_MS - rng.int(DAY_MS);
    const name = `Deleted ${isGroup ? "group" : "app"} ${k} – ${["alte Daten", "archivé", "temp"][k % 3] ?? ""}`;
    const object: GraphObject = {
      ...template,
      id: rng.guid(),
      displayName: name,
      deletedDateTime: isGroup ? isoSeconds(deletedAt) : isoTicks(deletedAt, rng.int(10000)),
    };
    if (isGroup) {
      object["mailNickname"] = asciiSlug(name);
      // Only Microsoft 365 groups reach deleted items: deleting any other group is permanent.
      Object.assign(object, { groupTypes: ["Unified"], mailEnabled: true });
    } else {
      object["appId"] = rng.guid();
    }
    const ownedByConfigured = k % 4 !== 3;
    items.push({
      type: isGroup ? "Group" : "Application",
      object,
      owners: ownedByConfigured ? [{ id: shape.configuredUserId, type: ODATA_TYPE.user }] : [{ id: rng.guid(), type: ODATA_TYPE.user }],
    });
  }
  return items;
}
