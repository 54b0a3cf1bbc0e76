import { indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { applicationAppId, applicationDisplayName, keyCredentials, passwordCredentials } from "./generate-application.js";
import type { GraphObject } from "./graph-object.js";
import { FIRST_PARTY_APPS, MICROSOFT_TENANT_ID, type TenantShape } from "./tenant-shape.js";

// Service principal slots: [0, applications) one per app registration, then Microsoft first-party
// apps, then managed identities.

export function servicePrincipalCount(shape: TenantShape): number {
  return shape.applications + shape.firstPartyServicePrincipals + shape.managedIdentities;
}

export function servicePrincipalId(shape: TenantShape, index: number): string {
  return indexedGuid(shape.seed, Kind.servicePrincipal, index);
}

export function generateServicePrincipal(shape: TenantShape, index: number): GraphObject {
  const rng = Rng.for(shape.seed, Kind.servicePrincipal, index);
  const id = servicePrincipalId(shape, index);
  if (index < shape.applications) {
    const appId = applicationAppId(shape, index);
    const name = applicationDisplayName(shape, index);
    return base(id, {
      accountEnabled: rng.chance(0.95),
      appDisplayName: name,
      appId,
      appOwnerOrganizationId: shape.tenantId,
      appRoleAssignmentRequired: rng.chance(0.3),
      displayName: name,
      keyCredentials: keyCredentials(shape, rng),
      passwordCredentials: rng.chance(0.1) ? passwordCredentials(shape, rng) : [],
      preferredSingleSignOnMode: rng.chance(0.1) ? "saml" : null,
      replyUrls: rng.chance(0.5) ? [`https://app${index}.example/signin-oidc`] : [],
      servicePrincipalNames: [appId, ...(rng.chance(0.4) ? [`api://${appId}`] : [])],
      servicePrincipalType: "Application",
      signInAudience: "AzureADMyOrg",
      tags: rng.chance(0.5) ? ["WindowsAzureActiveDirectoryIntegratedApp"] : [],
    });
  }
  const firstParty = FIRST_PARTY_APPS[index - shape.applications];
  if (firstParty !== undefined) {
    return base(id, {
      accountEnabled: true,
      appDisplayName: firstParty.displayName,
      appId: firstParty.appId,
      appOwnerOrganizationId: MICROSOFT_TENANT_ID,
      appRoleAssignmentRequired: false,
      displayName: firstParty.displayName,
      servicePrincipalNames: [firstParty.appId, `https://${firstParty.displayName.toLowerCase().replace(/[^a-z]/g, "")}.microsoft.com`],
      servicePrincipalType: "Application",
      signInAudience: "AzureADMultipleOrgs",
      tags: [],
      verifiedPublisher: { displayName: "Microsoft Corporation", verifiedPublisherId: null, addedDateTime: null },
    });
  }
  const miIndex = index - shape.applications - shape.firstPartyServicePrincipals;
  const appId = rng.guid();
  const name = `mi-kaivo-${miIndex}`;
  return base(id, {
    accountEnabled: true,
    alternativeNames: [`isExplicit=${rng.chance(0.5) ? "True" : "False"}`, `/subscriptions/${rng.guid()}/resourcegroups/rg-${miIndex}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`],
    appDisplayName: null,
    appId,
    appOwnerOrganizationId: null,
    appRoleAssignmentRequired: false,
    displayName: name,
    keyCredentials: [],
    servicePrincipalNames: [appId, `https://identity.azure.net/${rng.token(16)}`],
    servicePrincipalType: "ManagedIdentity",
    signInAudience: null,
    tags: [],
  });
}

function base(id: string, fields: GraphObject): GraphObject {
  return {
    id,
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDescription: null,
    appDisplayName: null,
    appId: null,
    applicationTemplateId: null,
    appOwnerOrganizationId: null,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: null,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: [],
    servicePrincipalType: "Application",
    signInAudience: null,
    tags: [],
    tokenEncryptionKeyId: null,
    addIns: [],
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    samlSingleSignOnSettings: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    ...fields,
  };
}
