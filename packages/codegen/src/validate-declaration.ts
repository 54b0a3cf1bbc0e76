import { Ajv, type ErrorObject } from "ajv";
import { readMetaSchema } from "./meta-schema.js";

/** Kaivo's own keywords inside record schemas; ajv must know them in strict mode. */
const KAIVO_KEYWORDS = ["x-kaivo-as", "x-kaivo-column"];

let compiled: ReturnType<Ajv["compile"]> | undefined;

function metaValidator(): ReturnType<Ajv["compile"]> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
    for (const keyword of KAIVO_KEYWORDS) ajv.addKeyword(keyword);
    compiled = ajv.compile(readMetaSchema());
  }
  return compiled;
}

export interface PointedMessage {
  pointer: string;
  message: string;
}

/** Validates one parsed declaration against the meta-schema; returns readable problems. */
export function validateAgainstMetaSchema(value: unknown): PointedMessage[] {
  const validate = metaValidator();
  if (validate(value)) return [];
  return dedupe((validate.errors ?? []).filter((e) => !isNoise(e)).map(describe));
}

/** Errors that only restate another, more specific error (the failing oneOf branch summary). */
function isNoise(error: ErrorObject): boolean {
  return error.keyword === "oneOf" || error.keyword === "if";
}

function describe(error: ErrorObject): PointedMessage {
  const pointer = error.instancePath || "/";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { pointer, message: `is missing the required property "${String(params.missingProperty)}"` };
    case "additionalProperties":
      return { pointer, message: `has an unknown property "${String(params.additionalProperty)}"; check its spelling against declaration.schema.json` };
    case "enum":
      return { pointer, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { pointer, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "discriminator":
      return params.error === "mapping"
        ? { pointer, message: `has an unknown sync mode ${JSON.stringify(params.tagValue)}; use "full_refresh", "delta" or "cursor"` }
        : { pointer, message: `needs a "mode": "full_refresh", "delta" or "cursor"` };
    case "pattern":
      return { pointer, message: `${error.message ?? "does not match"}${pointer.endsWith("/name") ? " (lower snake_case, starting with a letter, at most 63 characters)" : ""}` };
    default:
      return { pointer, message: error.message ?? `fails ${error.keyword}` };
  }
}

function dedupe(messages: PointedMessage[]): PointedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = `${m.pointer}\u0000${m.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
