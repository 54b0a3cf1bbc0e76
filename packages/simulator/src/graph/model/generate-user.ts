import { CITIES, DEPARTMENTS, GIVEN_NAMES, GUEST_DOMAINS, JOB_TITLES, SKU_IDS, SURNAMES, asciiSlug } from "../data/names.js";
import { indexedGuid } from "../util/object-ids.js";
import { Kind, Rng } from "../util/prng.js";
import { DAY_MS, isoSeconds, isoTicks } from "../util/time.js";
import type { GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

export function userId(shape: TenantShape, index: number): string {
  return indexedGuid(shape.seed, Kind.user, index);
}

/**
 * User number `index`, deterministic in (seed, index). User 0 is the tenant's first admin.
 * Awkward on purpose: guests with #EXT# UPNs, disabled accounts, nulls, empty arrays, unicode,
 * never-signed-in users with Graph's "0001-01-01T00:00:00Z" / "" quirks, and an open-type extension.
 */
export function generateUser(shape: TenantShape, index: number): GraphObject {
  const rng = Rng.for(shape.seed, Kind.user, index);
  rng.hex(24); // the id draws; keep the stream aligned with indexedGuid's consumption
  const given = rng.pick(GIVEN_NAMES);
  const surname = rng.pick(SURNAMES);
  const place = rng.pick(CITIES);
  const admin = index === 0;
  const guest = !admin && rng.chance(0.08);
  const disabled = !admin && rng.chance(0.05);
  const synced = !guest && rng.chance(0.3);
  const slug = `${asciiSlug(given)}.${asciiSlug(surname)}${index}`;
  const guestDomain = rng.pick(GUEST_DOMAINS);
  const upn = guest ? `${slug}_${guestDomain}#EXT#@${shape.domain}` : `${slug}@${shape.domain}`;
  const mail = guest ? `${slug}@${guestDomain}` : rng.chance(0.9) ? `${slug}@${shape.domain}` : null;
  const created = shape.anchorMs - rng.int(5 * 365) * DAY_MS - rng.int(DAY_MS);
  const department = rng.chance(0.85) ? rng.pick(DEPARTMENTS) : null;
  const jobTitle = admin ? "IT Administrator" : rng.chance(0.8) ? rng.pick(JOB_TITLES) : null;
  const phones = rng.chance(0.5) ? [`+1 425 555 ${String(rng.int(10000)).padStart(4, "0")}`] : [];
  const mobile = rng.chance(0.4) ? `+${rng.range(1, 99)} ${rng.range(100, 999)} ${rng.range(1000000, 9999999)}` : null;
  const licensed = !guest && rng.chance(0.85);
  const sid = `S-1-12-1-${rng.int(4294967295)}-${rng.int(4294967295)}-${rng.int(4294967295)}-${rng.int(4294967295)}`;
  const pwdChanged = created + rng.int(DAY_MS * 300);
  const user: GraphObject = {
    id: userId(shape, index),
    accountEnabled: !disabled,
    ageGroup: null,
    assignedLicenses: licensed ? [{ disabledPlans: rng.chance(0.2) ? [rng.guid()] : [], skuId: rng.pick(SKU_IDS) }] : [],
    businessPhones: phones,
    city: rng.chance(0.7) ? place.city : null,
    companyName: guest ? null : rng.chance(0.5) ? "Kaivo Simulated Ltd." : null,
    country: rng.chance(0.7) ? place.country : null,
    createdDateTime: isoSeconds(created),
    creationType: guest ? "Invitation" : null,
    deletedDateTime: null,
    department,
    displayName: `${given} ${surname}`,
    employeeHireDate: !guest && rng.chance(0.6) ? isoSeconds(created - (created % DAY_MS)) : null,
    employeeId: !guest && rng.chance(0.7) ? String(100000 + index) : null,
    employeeType: guest ? null : rng.chance(0.6) ? rng.pick(["Employee", "Contractor", "Consultant"]) : null,
    externalUserState: guest ? (rng.chance(0.7) ? "Accepted" : "PendingAcceptance") : null,
    externalUserStateChangeDateTime: guest ? isoSeconds(created + rng.int(DAY_MS * 10)) : null,
    faxNumber: null,
    givenName: rng.chance(0.95) ? given : null,
    identities: guest
      ? [{ signInType: "userPrincipalName", issuer: "ExternalAzureAD", issuerAssignedId: null }]
      : [{ signInType: "userPrincipalName", issuer: shape.domain, issuerAssignedId: upn }],
    imAddresses: [],
    isResourceAccount: null,
    jobTitle,
    lastPasswordChangeDateTime: guest ? null : isoSeconds(pwdChanged),
    legalAgeGroupClassification: null,
    mail,
    mailNickname: guest ? `${slug}_${asciiSlug(guestDomain)}#EXT#` : slug,
    mobilePhone: mobile,
    officeLocation: rng.chance(0.6) ? `${rng.range(1, 40)}/${rng.range(1000, 4999)}` : null,
    onPremisesDistinguishedName: synced ? `CN=${given} ${surname},OU=Users,DC=corp,DC=example` : null,
    onPremisesDomainName: synced ? "corp.example" : null,
    onPremisesExtensionAttributes: extensionAttributes(rng, synced),
    onPremisesImmutableId: synced ? Buffer.from(rng.hex(32), "hex").toString("base64") : null,
    onPremisesLastSyncDateTime: synced ? isoSeconds(shape.anchorMs - rng.int(DAY_MS)) : null,
    onPremisesProvisioningErrors: [],
    onPremisesSamAccountName: synced ? slug.slice(0, 20) : null,
    onPremisesSecurityIdentifier: synced ? `S-1-5-21-${rng.int(999999999)}-${rng.int(999999999)}-${1000 + index}` : null,
    onPremisesSyncEnabled: synced ? true : null,
    onPremisesUserPrincipalName: synced ? `${slug}@corp.example` : null,
    otherMails: rng.chance(0.1) ? [`${slug}@personal.example`] : [],
    passwordPolicies: rng.chance(0.2) ? "DisablePasswordExpiration" : null,
    postalCode: null,
    preferredDataLocation: null,
    preferredLanguage: rng.chance(0.7) ? place.lang : null,
    proxyAddresses: mail !== null && !guest ? [`SMTP:${mail}`] : [],
    securityIdentifier: sid,
    showInAddressList: null,
    // Its own stream, so selecting it or not never changes the rest of the user.
    signInActivity: signInActivity(shape, index, guest),
    signInSessionsValidFromDateTime: isoSeconds(pwdChanged),
    state: null,
    streetAddress: null,
    surname: rng.chance(0.95) ? surname : null,
    usageLocation: licensed ? place.usage : null,
    userPrincipalName: upn,
    userType: guest ? "Guest" : "Member",
  };

  if (rng.chance(0.3)) user[`extension_${shape.extensionAppId}_costCenter`] = `CC-${rng.range(1000, 9999)}`;
  if (rng.chance(0.05)) user[`extension_${shape.extensionAppId}_badgeColour`] = rng.pick(["grün", "bleu", "红"]);
  return user;
}

const EMPTY_EXTENSION_ATTRIBUTES: GraphObject = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]));

function extensionAttributes(rng: Rng, synced: boolean): GraphObject {
  const attrs: GraphObject = { ...EMPTY_EXTENSION_ATTRIBUTES };
  if (synced && rng.chance(0.5)) attrs["extensionAttribute1"] = `Cost-${rng.range(100, 999)}`;
  return attrs;
}

const NEVER = "0001-01-01T00:00:00Z";

/**
 * Graph's last sign-in times count failed attempts too. Most accounts' latest attempt succeeded;
 * about one in ten has only failed since a success 90 to 400 days earlier (a dormant account being
 * password-sprayed), or since before Graph recorded successes (December 2023: null).
 */
function lastSuccess(rng: Rng, lastAttempt: number): GraphObject {
  if (rng.chance(0.9)) return { lastSuccessfulSignInDateTime: isoTicks(lastAttempt, rng.int(10000)), lastSuccessfulSignInRequestId: rng.guid() };
  if (rng.chance(0.5)) return { lastSuccessfulSignInDateTime: null, lastSuccessfulSignInRequestId: null };
  return { lastSuccessfulSignInDateTime: isoTicks(lastAttempt - 90 * DAY_MS - rng.int(310 * DAY_MS), rng.int(10000)), lastSuccessfulSignInRequestId: rng.guid() };
}

/** signInActivity with Graph's own quirks for users who never signed in. */
export function signInActivity(shape: TenantShape, index: number, guest: boolean): GraphObject | null {
  const rng = Rng.for(shape.seed, Kind.signIn, index);
  const roll = rng.next();
  if (roll < 0.04) return null;
  if (roll < 0.1 || (guest && roll < 0.3)) {
    // Never signed in: Microsoft's own example mixes year-1 timestamps, "" and null.
    const style = rng.int(3);
    const ts = style === 0 ? NEVER : style === 1 ? "" : null;
    return {
      lastSignInDateTime: ts,
      lastSignInRequestId: style === 2 ? null : "",
      lastNonInteractiveSignInDateTime: style === 2 ? null : NEVER,
      lastNonInteractiveSignInRequestId: style === 2 ? null : "",
      lastSuccessfulSignInDateTime: style === 1 ? "" : null,
      lastSuccessfulSignInRequestId: style === 1 ? "" : null,
    };
  }
  // About one account in seven is dormant (last seen 90 to 400 days ago): what stale-account reviews look for.
  const dormant = rng.chance(0.15);
  const last = shape.anchorMs - (dormant ? 90 * DAY_MS + rng.int(310 * DAY_MS) : rng.int(60 * DAY_MS));
  const nonInteractive = !dormant && rng.chance(0.8) ? shape.anchorMs - rng.int(10 * DAY_MS) : null;
  return {
    lastSignInDateTime: isoSeconds(last),
    lastSignInRequestId: rng.guid(),
    lastNonInteractiveSignInDateTime: nonInteractive === null ? NEVER : isoSeconds(nonInteractive),
    lastNonInteractiveSignInRequestId: nonInteractive === null ? "" : rng.guid(),
    ...lastSuccess(rng, Math.max(last, nonInteractive ?? 0)),
  };
}
