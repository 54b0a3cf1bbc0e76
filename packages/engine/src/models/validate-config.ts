import { Ajv } from "ajv";
import { describeSchemaErrors, type PointedMessage } from "@kaivo/codegen";
import { MODEL_CONFIG_SCHEMA } from "./config-schema.js";

/** A problem in a model's front matter: where, and what is wrong. */
export type ConfigProblem = PointedMessage;

let compiled: ReturnType<Ajv["compile"]> | undefined;

function validator(): ReturnType<Ajv["compile"]> {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(MODEL_CONFIG_SCHEMA);
  return compiled;
}

/** Validates a parsed front matter against MODEL_CONFIG_SCHEMA; returns readable problems. */
export function validateModelConfig(value: unknown): ConfigProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  return describeSchemaErrors(validate.errors);
}
