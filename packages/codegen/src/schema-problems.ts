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
 * restate a more specific error (the failing oneOf branch, an if) are left out. From a validator
 * compiled with `verbose`, a failed oneOf speaks for the branch the value meant (see oneOfBranches).
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, wording: KeywordWording = () => undefined): PointedMessage[] {
  const seen = new Set<string>();
  return oneOfBranches(errors ?? [])
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

/**
 * ajv reports every branch of a failed oneOf: for `"uniqe"` against "a name, or an object with
 * accepted_values, or one with relationships", three errors, two of them about objects. When the
 * oneOf error carries its branches and value (ajv's `verbose`), only the errors of the branch whose
 * required properties the value has (else has some of) are kept; with no such branch, one error
 * says what the branches accept.
 */
function oneOfBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  for (const oneOf of errors.filter((e) => e.keyword === "oneOf" && Array.isArray(e.schema))) {
    const branches = oneOf.schema as Array<Record<string, unknown>>;
    const ofBranch = (e: ErrorObject, i: number) => e.schemaPath.startsWith(`${oneOf.schemaPath}/${i}/`) && e.instancePath.startsWith(oneOf.instancePath);
    const data = oneOf.data;
    const having = (which: "every" | "some") =>
      branches.flatMap((branch, i) => {
        const required = Array.isArray(branch.required) ? (branch.required as string[]) : [];
        return required.length > 0 && isObject(data) && required[which]((k) => k in data) ? [i] : [];
      });
    const whole = having("every");
    const meant = whole.length > 0 ? whole : having("some");
    const inBranches = (e: ErrorObject) => branches.some((_, i) => ofBranch(e, i));
    if (meant.length === 1) {
      kept = kept.filter((e) => !inBranches(e) || ofBranch(e, meant[0]!));
    } else {
      const accepted = branches.map(describeBranch).filter((d) => d !== undefined);
      const summary: ErrorObject = { ...oneOf, keyword: "oneOfSummary", params: {}, message: `must be ${list(accepted, "or")}` };
      kept = kept.flatMap((e) => (e === oneOf ? [summary] : inBranches(e) ? [] : [e]));
    }
  }
  return kept;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What one oneOf branch accepts, in a few words. */
function describeBranch(branch: Record<string, unknown>): string | undefined {
  if (Array.isArray(branch.enum)) return branch.enum.map((v) => JSON.stringify(v)).join(", ");
  if (Array.isArray(branch.required)) return `an object with ${list((branch.required as string[]).map((k) => `"${k}"`), "and")}`;
  return typeof branch.type === "string" ? `a ${branch.type}` : undefined;
}

function list(items: readonly string[], conjunction: "and" | "or"): string {
  return items.length <= 1 ? (items[0] ?? "valid") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
