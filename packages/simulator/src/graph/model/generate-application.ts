import { APP_WORDS } from "../data/names.js";
import { indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { DAY_MS, isoSeconds, isoTicks } from "../util/time.js";
import type { GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export function applicationId(shape: TenantShape, index: number): string {
  return indexedGuid(shape.seed, Kind.application, index);
}

/** The appId (client id) of application `index`; its service principal shares it. */
export function applicationAppId(shape: TenantShape, index: number): string {
  return Rng.for(shape.seed, Kind.application, index + 0x40000000).guid();
}

export function applicationDisplayName(shape: TenantShape, index: number): string {
  const rng = Rng.for(shape.seed, Kind.application, index + 0x20000000);
  return `${rng.pick(APP_WORDS)} ${index}`;
}

/** Application registration `index`, with secrets that expire soon or already expired. */
export function generateApplication(shape: TenantShape, index: number): GraphObject {
  const rng = Rng.for(shape.seed, Kind.application, index);
  const created = shape.anchorMs - rng.int(3 * 365) * DAY_MS - rng.int(DAY_MS);
  const appId = applicationAppId(shape, index);
  const displayName = applicationDisplayName(shape, index);
  const app: GraphObject = {
    id: applicationId(shape, index),
    deletedDateTime: null,
    appId,
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    createdDateTime: isoTicks(created, rng.int(10000)),
    displayName,
    description: rng.chance(0.4) ? `${displayName} – integration` : null,
    groupMembershipClaims: rng.chance(0.2) ? "SecurityGroup" : null,
    identifierUris: rng.chance(0.4) ? [`api://${appId}`] : [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: rng.chance(0.1) ? true : null,
    notes: null,
    publisherDomain: shape.domain,
    serviceManagementReference: null,
    signInAudience: rng.pick(["AzureADMyOrg", "AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount"]),
    tags: rng.chance(0.2) ? ["HideApp"] : [],
    tokenEncryptionKeyId: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: rng.chance(0.5) ? 2 : null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    appRoles: rng.chance(0.3)
      ? [{ allowedMemberTypes: ["User"], description: "Readers", displayName: "Reader", id: rng.guid(), isEnabled: true, origin: "Application", value: "Reader" }]
      : [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: keyCredentials(shape, rng),
    optionalClaims: null,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: "Allow" },
    passwordCredentials: passwordCredentials(shape, rng),
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [
      { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" }] },
    ],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: rng.chance(0.5) ? [`https://app${index}.example/signin-oidc`] : [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: rng.chance(0.2) },
    },
    spa: { redirectUris: [] },
  };
  if (rng.chance(0.15)) app[`extension_${shape.extensionAppId}_owningTeam`] = rng.pick(["Platform", "Données", "HR"]);
  return app;
}

/** Secrets: none, fresh, expiring within two weeks, or already expired (relative to the anchor day). */
export function passwordCredentials(shape: TenantShape, rng: Rng): GraphObject[] {
  const count = rng.int(4);
  const out: GraphObject[] = [];
  for (let k = 0; k < count; k++) {
    const mode = rng.int(4);
    const end =
      mode === 0 ? shape.anchorMs - rng.range(1, 200) * DAY_MS // expired
      : mode === 1 ? shape.anchorMs + rng.range(1, 14) * DAY_MS // expiring soon
      : shape.anchorMs + rng.range(30, 700) * DAY_MS;
    out.push({
      customKeyIdentifier: null,
      displayName: rng.chance(0.7) ? rng.pick(["ci", "prod", "Zugang", "legacy secret"]) : null,
      endDateTime: isoTicks(end, rng.int(10000)),
      hint: `${rng.token(2)}~`,
      keyId: rng.guid(),
      secretText: null,
      startDateTime: isoTicks(end - 365 * DAY_MS, rng.int(10000)),
    });
  }
  return out;
}

export function keyCredentials(shape: TenantShape, rng: Rng): GraphObject[] {
  if (!rng.chance(0.25)) return [];
  const end = shape.anchorMs + rng.range(-30, 700) * DAY_MS;
  return [
    {
      customKeyIdentifier: rng.hex(40).toUpperCase(),
      displayName: "CN=kaivo-sim",
      endDateTime: isoSeconds(end),
      key: null,
      keyId: rng.guid(),
      startDateTime: isoSeconds(end - 365 * DAY_MS),
      type: "AsymmetricX509Cert",
      usage: "Verify",
    },
  ];
}
