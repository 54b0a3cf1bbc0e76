import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the declaration meta-schema shipped with this package. */
export const META_SCHEMA_PATH = fileURLToPath(new URL("../schema/declaration.schema.json", import.meta.url));

export function readMetaSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(META_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
}
