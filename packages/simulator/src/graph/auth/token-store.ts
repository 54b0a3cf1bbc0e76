import { randomBytes } from "node:crypto";

interface IssuedToken {
  expiresAtMs: number;
  revoked: boolean;
}

export type TokenCheck = "valid" | "missing" | "unknown" | "expired";

/** Who a token is for: the claims a client may read from it (graph-api.md section 2). */
export interface TokenClaims {
  /** The tenant's GUID, whichever name the client signed in with. */
  tid: string;
  appid: string;
  /** The Graph root the token is for. */
  aud: string;
}

/**
 * Bearer tokens shaped as Entra ID's are (a JWT: header, claims, signature), with an expiry measured
 * on the simulator's clock (`now`). Clients may read the claims; the signature is random, and only
 * this store can tell a token it issued.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => Date) {}

  issue(lifetimeSeconds: number, claims: TokenClaims): string {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAtMs = this.now().getTime() + lifetimeSeconds * 1000;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const payload = { ...claims, iss: `https://sts.windows.net/${claims.tid}/`, iat: issuedAt, nbf: issuedAt, exp: Math.floor(expiresAtMs / 1000), idtyp: "app" };
    const token = `${part({ typ: "JWT", alg: "RS256", kid: "kaivo-simulator" })}.${part(payload)}.${randomBytes(32).toString("base64url")}`;
    this.tokens.set(token, { expiresAtMs, revoked: false });
    if (this.tokens.size > 10_000) this.prune();
    return token;
  }

  check(authorization: string | undefined): { result: TokenCheck; token?: string } {
    if (authorization === undefined || authorization.trim() === "") return { result: "missing" };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m || m[1] === undefined) return { result: "unknown" };
    const entry = this.tokens.get(m[1]);
    if (entry === undefined) return { result: "unknown", token: m[1] };
    if (entry.revoked || entry.expiresAtMs <= this.now().getTime()) return { result: "expired", token: m[1] };
    return { result: "valid", token: m[1] };
  }

  /** Makes one token (or every token) count as expired. */
  expire(token?: string): void {
    if (token !== undefined) {
      const entry = this.tokens.get(token);
      if (entry !== undefined) entry.revoked = true;
      return;
    }
    for (const entry of this.tokens.values()) entry.revoked = true;
  }

  private prune(): void {
    const now = this.now().getTime();
    for (const [token, entry] of this.tokens) if (entry.revoked || entry.expiresAtMs <= now) this.tokens.delete(token);
  }
}
