import { Ajv, type ErrorObject } from "ajv";
import { MODEL_CONFIG_SCHEMA } from "./config-schema.js";

export interface ConfigProblem {
  pointer: string;
  message: string;
}

let compiled: ReturnType<Ajv["compile"]> | undefined;

function validator(): ReturnType<Ajv["compile"]> {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(MODEL_CONFIG_SCHEMA);
  return compiled;
}

/** Validates a parsed front matter against MODEL_CONFIG_SCHEMA; returns readable problems. */
export function validateModelConfig(value: unknown): ConfigProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  const seen = new Set<string>();
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== "oneOf")
    .map(describe)
    .filter((p) => {
      const key = `${p.pointer}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function describe(error: ErrorObject): ConfigProblem {
  const pointer = error.instancePath || "/";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { pointer, message: `is missing the required property "${String(params.missingProperty)}"` };
    case "additionalProperties":
      return { pointer, message: `has an unknown property "${String(params.additionalProperty)}"` };
    case "enum":
      return { pointer, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    default:
      return { pointer, message: error.message ?? `fails ${error.keyword}` };
  }
}
