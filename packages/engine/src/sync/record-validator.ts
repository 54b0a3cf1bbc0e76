import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FieldSchema, TableDeclaration } from "@kaivo/codegen";

// ajv-formats' default export is typed for CommonJS; under NodeNext it needs this cast (toolchain-notes).
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
addFormats(ajv, ["date-time"]);

/**
 * The ajv validator of a declaration's record schema, limited to the selected fields. Only the
 * key is required: delta rounds send partial objects, and Graph's open types add fields we ignore.
 */
export function compileRecordValidator(declaration: TableDeclaration, selectedFields: readonly string[]): ValidateFunction {
  const properties = Object.fromEntries(
    selectedFields.map((f) => [f, declaration.schema.properties[f]]).filter((e): e is [string, FieldSchema] => e[1] !== undefined),
  );
  return ajv.compile({ type: "object", properties, required: declaration.primaryKey });
}

/** The first validation error as a sentence: `/accountEnabled must be boolean`. */
export function describeValidationError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return "failed validation";
  return `${error.instancePath || "record"} ${error.message ?? "is invalid"}`.trim();
}
