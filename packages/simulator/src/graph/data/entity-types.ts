// Graph v1.0 property names per entity type: what $select accepts, and what a list returns by default.
// Properties we do not generate still select fine and come back as null, as Graph does for unset values.

export interface EntityType {
  /** OData type name without namespace, e.g. "user". */
  name: string;
  /** Every structural property $select accepts on the collection. */
  properties: ReadonlySet<string>;
  /** Navigation properties that $select accepts on delta (become `<name>@delta`). */
  deltaRelations: ReadonlySet<string>;
  /** What a list returns without $select; undefined = every generated property. */
  defaultProperties: readonly string[] | undefined;
  /** Properties that exist on the type but only on a single-object GET (the collection answers 501). */
  singleOnly: ReadonlySet<string>;
}

const USER_DEFAULT = [
  "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
  "preferredLanguage", "surname", "userPrincipalName", "id",
] as const;

export const USER_TYPE: EntityType = {
  name: "user",
  properties: new Set([
    "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans", "authorizationInfo", "businessPhones", "city",
    "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType", "customSecurityAttributes",
    "deletedDateTime", "department", "displayName", "employeeHireDate", "employeeLeaveDateTime", "employeeId",
    "employeeOrgData", "employeeType", "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName",
    "id", "identities", "imAddresses", "isManagementRestricted", "isResourceAccount", "jobTitle",
    "lastPasswordChangeDateTime", "legalAgeGroupClassification", "licenseAssignmentStates", "mail", "mailNickname",
    "mobilePhone", "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName",
    "onPremisesExtensionAttributes", "onPremisesImmutableId", "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "passwordProfile",
    "postalCode", "preferredDataLocation", "preferredLanguage", "provisionedPlans", "proxyAddresses",
    "securityIdentifier", "serviceProvisioningErrors", "showInAddressList", "signInActivity",
    "signInSessionsValidFromDateTime", "state", "streetAddress", "surname", "usageLocation", "userPrincipalName",
    "userType",
  ]),
  deltaRelations: new Set(["manager"]),
  defaultProperties: USER_DEFAULT,
  singleOnly: new Set([
    "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities",
    "schools", "skills", "mailboxSettings",
  ]),
};

export const GROUP_TYPE: EntityType = {
  name: "group",
  properties: new Set([
    "allowExternalSenders", "assignedLabels", "assignedLicenses", "autoSubscribeNewMembers", "classification",
    "createdDateTime", "creationOptions", "deletedDateTime", "description", "displayName", "expirationDateTime",
    "groupTypes", "hideFromAddressLists", "hideFromOutlookClients", "id", "isAssignableToRole",
    "isManagementRestricted", "isSubscribedByMail", "licenseProcessingState", "mail", "mailEnabled", "mailNickname",
    "membershipRule", "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime",
    "onPremisesNetBiosName", "onPremisesProvisioningErrors", "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation", "preferredLanguage",
    "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions", "securityEnabled",
    "securityIdentifier", "serviceProvisioningErrors", "theme", "uniqueName", "unseenCount", "visibility",
  ]),
  deltaRelations: new Set(["members", "owners"]),
  defaultProperties: undefined,
  singleOnly: new Set(["hasMembersWithLicenseErrors", "isArchived"]),
};

export const APPLICATION_TYPE: EntityType = {
  name: "application",
  properties: new Set([
    "addIns", "api", "appId", "applicationTemplateId", "appRoles", "certification", "createdDateTime",
    "defaultRedirectUri", "deletedDateTime", "description", "disabledByMicrosoftStatus", "displayName",
    "groupMembershipClaims", "id", "identifierUris", "info", "isDeviceOnlyAuthSupported", "isFallbackPublicClient",
    "keyCredentials", "nativeAuthenticationApisEnabled", "notes", "oauth2RequirePostResponse", "optionalClaims",
    "parentalControlSettings", "passwordCredentials", "publicClient", "publisherDomain",
    "requestSignatureVerification", "requiredResourceAccess", "samlMetadataUrl", "serviceManagementReference",
    "servicePrincipalLockConfiguration", "signInAudience", "spa", "tags", "tokenEncryptionKeyId", "uniqueName",
    "verifiedPublisher", "web",
  ]),
  deltaRelations: new Set(["owners"]),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const SERVICE_PRINCIPAL_TYPE: EntityType = {
  name: "servicePrincipal",
  properties: new Set([
    "accountEnabled", "addIns", "alternativeNames", "appDescription", "appDisplayName", "appId",
    "applicationTemplateId", "appOwnerOrganizationId", "appRoleAssignmentRequired", "appRoles",
    "customSecurityAttributes", "deletedDateTime", "description", "disabledByMicrosoftStatus", "displayName",
    "homepage", "id", "info", "keyCredentials", "loginUrl", "logoutUrl", "notes", "notificationEmailAddresses",
    "oauth2PermissionScopes", "passwordCredentials", "preferredSingleSignOnMode",
    "preferredTokenSigningKeyThumbprint", "replyUrls", "resourceSpecificApplicationPermissions",
    "samlSingleSignOnSettings", "servicePrincipalNames", "servicePrincipalType", "signInAudience", "tags",
    "tokenEncryptionKeyId", "verifiedPublisher",
  ]),
  deltaRelations: new Set(["owners"]),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const DIRECTORY_ROLE_TYPE: EntityType = {
  name: "directoryRole",
  properties: new Set(["id", "deletedDateTime", "description", "displayName", "roleTemplateId"]),
  deltaRelations: new Set(["members"]),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const DIRECTORY_ROLE_TEMPLATE_TYPE: EntityType = {
  name: "directoryRoleTemplate",
  properties: new Set(["id", "deletedDateTime", "description", "displayName"]),
  deltaRelations: new Set(),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const DIRECTORY_AUDIT_TYPE: EntityType = {
  name: "directoryAudit",
  properties: new Set([
    "id", "activityDateTime", "activityDisplayName", "additionalDetails", "category", "correlationId", "initiatedBy",
    "loggedByService", "operationType", "result", "resultReason", "targetResources",
  ]),
  deltaRelations: new Set(),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const IDENTITY_PROVIDER_TYPE: EntityType = {
  name: "identityProviderBase",
  properties: new Set([
    "id", "displayName", "identityProviderType", "clientId", "clientSecret", "developerId", "serviceId", "keyId",
    "certificateData", "issuer", "wellKnownEndpoint", "state",
  ]),
  deltaRelations: new Set(),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

export const ADMIN_CONSENT_POLICY_TYPE: EntityType = {
  name: "adminConsentRequestPolicy",
  properties: new Set(["id", "isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays", "reviewers", "version"]),
  deltaRelations: new Set(),
  defaultProperties: undefined,
  singleOnly: new Set(),
};

/** Directory extension properties (`extension_<appIdNoDashes>_<name>`) are selectable on open types. */
export function isExtensionProperty(name: string): boolean {
  return /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/.test(name);
}
