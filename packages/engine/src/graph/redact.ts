/**
 * Removes known secret values (the client secret, access tokens) from text before it goes into an
 * error message or event. Graph and the token endpoint never echo them in practice; this is the
 * belt to that pair of braces, because a leaked secret in a log cannot be taken back.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be shown. Values shorter than 6 characters are ignored
   * (redacting "a" would shred every message and such a value is no real secret anyway). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join("[redacted]");
      // The secret may appear form- or URL-encoded (e.g. a token endpoint echoing its input).
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join("[redacted]");
    }
    // Bearer tokens we have not seen (defence in depth): keep the scheme, drop the credential.
    return out.replace(/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g, "$1 [redacted]");
  }
}
