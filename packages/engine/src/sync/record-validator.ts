import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatName } from "ajv-formats";
import { TYPED_FORMATS, type FieldSchema, type TableDeclaration } from "@kaivo/codegen";

// ajv-formats' default export is typed for CommonJS; under NodeNext it needs this cast (toolchain-notes).
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
// The formats that type a column (TIMESTAMP, DATE) are checked; any other is an annotation.
addFormats(ajv, Object.keys(TYPED_FORMATS) as FormatName[]);

/**
 * The ajv validator of a declaration's record schema, limited to the selected fields. Only the
 * key is required: delta rounds send partial objects, and Graph's open types add fields we ignore.
 */
export function compileRecordValidator(declaration: TableDeclaration, selectedFields: readonly string[]): ValidateFunction {
  const properties = Object.fromEntries(
    selectedFields.map((f) => [f, declaration.schema.properties[f]]).filter((e): e is [string, FieldSchema] => e[1] !== undefined),
  );
  for (const format of formatsIn(properties)) if (!ajv.formats[format]) ajv.addFormat(format, true);
  return ajv.compile({ type: "object", properties, required: declaration.primaryKey });
}

/**
 * The `format` values in a schema. Ajv would print a warning for each one it does not know (Graph's
 * OpenAPI has `uuid`, `int32`, `duration`…), on every run: those are accepted as annotations.
 */
function formatsIn(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) formatsIn(item, found);
  else if (schema !== null && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "format" && typeof value === "string") found.add(value);
      else formatsIn(value, found);
    }
  }
  return found;
}

/** The first validation error as a sentence: `/accountEnabled must be boolean`. */
export function describeValidationError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return "failed validation";
  return `${error.instancePath || "record"} ${error.message ?? "is invalid"}`.trim();
}
