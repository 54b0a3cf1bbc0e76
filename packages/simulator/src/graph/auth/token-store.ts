import { randomBytes } from "node:crypto";

interface IssuedToken {
  expiresAtMs: number;
  revoked: boolean;
}

export type TokenCheck = "valid" | "missing" | "unknown" | "expired";

/** Opaque bearer tokens with an expiry measured on the simulator's clock (`now`). */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => Date) {}

  issue(lifetimeSeconds: number): string {
    const token = randomBytes(32).toString("base64url");
    this.tokens.set(token, { expiresAtMs: this.now().getTime() + lifetimeSeconds * 1000, revoked: false });
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
