/** @azure/msal-node's module. */
export type Msal = typeof import("@azure/msal-node");

let msal: Promise<Msal> | undefined;

/**
 * MSAL, loaded by the first token request: about 470 modules that every other command (`kaivo sql`,
 * `state`, `build`, `--version`) would otherwise load at start-up.
 */
export function loadMsal(): Promise<Msal> {
  msal ??= import("@azure/msal-node");
  return msal;
}
