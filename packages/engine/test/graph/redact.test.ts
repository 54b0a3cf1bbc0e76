import { expect, test } from "vitest";
import { SecretRedactor } from "../../src/graph/redact.js";

const SECRET = 'Kv8Q~canary"SECRET\\abc+/=';

test("a secret is removed in every form text may carry it: as is, JSON-escaped, URL- and form-encoded in either case", () => {
  const redactor = new SecretRedactor();
  redactor.add(SECRET);
  const forms = [
    SECRET,
    JSON.stringify(SECRET).slice(1, -1),
    encodeURIComponent(SECRET),
    encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ client_secret: SECRET }).toString(),
  ];
  for (const form of forms) {
    const shown = redactor.redact(`before ${form} after`);
    expect(shown).toMatch(/^before (client_secret=)?\[redacted\] after$/);
  }
  // --json output is redacted after serialising: the escaped form is what it sees.
  expect(redactor.redact(JSON.stringify({ message: `code ${SECRET}` }))).toBe('{"message":"code [redacted]"}');
});

test("an unknown bearer credential is removed, in either case of the scheme; words after 'Bearer' in data are not credentials", () => {
  const redactor = new SecretRedactor();
  expect(redactor.redact("authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJzdWIiOiIx.c2ln")).toBe("authorization: Bearer [redacted]");
  expect(redactor.redact("authorization: bearer eyJ0eXAiOiJKV1QiLCJhbGciOi")).toBe("authorization: bearer [redacted]");
  expect(redactor.redact("Bearer Bonds Ltd; Token type Bearer issued")).toBe("Bearer Bonds Ltd; Token type Bearer issued");
});

test("values too short to be secrets are not registered: they would shred every message", () => {
  const redactor = new SecretRedactor();
  redactor.add("abc");
  expect(redactor.redact("abc def")).toBe("abc def");
});
