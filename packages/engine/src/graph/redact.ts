/**
 * Removes known secret values (the client secret, access tokens) from text before it goes into an
 * error message, event or state. Graph and the token endpoint never echo them in practice; this is
 * the belt to that pair of braces, because a leaked secret in a log cannot be taken back.
 */
export class SecretRedactor {
  /** Each secret in every form it may be echoed in, longest first. */
  private forms: string[] = [];

  /** Registers a value that must never be shown. Values shorter than 6 characters are ignored
   * (redacting "a" would shred every message and such a value is no real secret anyway). */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < 6) return;
    this.forms = [...new Set([...this.forms, ...echoedForms(secret)])].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join("[redacted]");
    // Bearer tokens we have not seen (defence in depth): keep the scheme, drop the credential. A
    // credential is long; "Bearer Bonds Ltd" in a directory's data is not one.
    return out.replace(/\b(Bearer)\s+[A-Za-z0-9\-._~+/]{20,}=*/gi, "$1 [redacted]");
  }
}

/**
 * A secret as text may carry it: as is, inside a JSON string (a `"` or `\` escaped), URL-encoded
 * and form-encoded (a token endpoint echoing its input; `~` is %7E in a form), in either case of
 * percent-encoding.
 */
function echoedForms(secret: string): string[] {
  const lowerPercent = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const url = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice("v=".length);
  return [secret, JSON.stringify(secret).slice(1, -1), url, lowerPercent(url), form, lowerPercent(form)];
}
