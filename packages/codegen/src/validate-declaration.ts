import { Ajv, type ErrorObject } from "ajv";
import { readMetaSchema } from "./meta-schema.js";
import { describeSchemaErrors, type PointedMessage } from "./schema-problems.js";

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

/** Validates one parsed declaration against the meta-schema; returns readable problems. */
export function validateAgainstMetaSchema(value: unknown): PointedMessage[] {
  const validate = metaValidator();
  if (validate(value)) return [];
  return describeSchemaErrors(validate.errors, declarationWording);
}

/** JSON Schema keywords a field may not use: a column needs one type, written out. */
const COMPOSITION_KEYWORDS = new Set(["$ref", "anyOf", "oneOf", "allOf", "not", "if", "then", "else", "$defs", "definitions"]);

/** Wording that points at the meta-schema, the sync modes and the naming rule. */
function declarationWording(error: ErrorObject, params: Record<string, unknown>, pointer: string): string | undefined {
  switch (error.keyword) {
    case "additionalProperties": {
      const property = String(params.additionalProperty);
      if (COMPOSITION_KEYWORDS.has(property)) {
        return `uses "${property}", which Kaivo does not resolve into columns: describe the field's type and properties here, or keep it whole as JSON ("type": "object", "x-kaivo-as": "json")`;
      }
      return `has an unknown property "${property}"; check its spelling against declaration.schema.json`;
    }
    case "discriminator":
      return params.error === "mapping" ? `has an unknown sync mode ${JSON.stringify(params.tagValue)}; use "full_refresh", "delta" or "cursor"` : `needs a "mode": "full_refresh", "delta" or "cursor"`;
    case "pattern":
      if (pointer === "/source/path" || pointer === "/source/deltaPath") {
        return `is not a Graph path: "/" and then letters, digits, "/", ".", "_" or "-", with no query (Kaivo adds $select, $top and the cursor's $filter itself)`;
      }
      return `${error.message ?? "does not match"}${pointer.endsWith("/name") ? " (lower snake_case, starting with a letter, at most 63 characters)" : ""}`;
    default:
      return undefined;
  }
}
