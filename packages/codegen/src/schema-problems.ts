import type { ErrorObject } from "ajv";

/** A place in a JSON document (a JSON pointer, "/" for the whole) and what is wrong there. */
export interface PointedMessage {
  pointer: string;
  message: string;
}

/**
 * A validator's own wording for some keywords (a hint that names its files or values); undefined
 * leaves the error to the common wording below.
 */
export type KeywordWording = (error: ErrorObject, params: Record<string, unknown>, pointer: string) => string | undefined;

/**
 * ajv's errors as sentences a user can act on, one per place and message. The summaries that only
 * restate a more specific error (the failing oneOf branch, an if) are left out.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, wording: KeywordWording = () => undefined): PointedMessage[] {
  const seen = new Set<string>();
  return (errors ?? [])
    .filter((e) => e.keyword !== "oneOf" && e.keyword !== "if")
    .map((error) => {
      const pointer = error.instancePath || "/";
      const params = error.params as Record<string, unknown>;
      return { pointer, message: wording(error, params, pointer) ?? commonWording(error, params) };
    })
    .filter((p) => {
      const key = `${p.pointer}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function commonWording(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case "required":
      return `is missing the required property "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `has an unknown property "${String(params.additionalProperty)}"`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}
