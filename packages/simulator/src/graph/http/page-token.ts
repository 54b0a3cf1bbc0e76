import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Opaque, tamper-evident paging and delta tokens: base64url(JSON) "." base64url(HMAC-SHA256).
 * The key is random per simulator process, so a client can neither build nor edit a token.
 */
export class PageTokenCodec {
  private readonly key = randomBytes(32);

  encode(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  /** The payload, or undefined when the token is malformed, tampered or from another process. */
  decode(token: string): Record<string, unknown> | undefined {
    const dot = token.indexOf(".");
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.sign(body), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url").slice(0, 22);
  }
}
