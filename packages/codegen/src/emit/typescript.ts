import type { JSONSchema4 } from "json-schema";
import type { TableDeclaration } from "../declaration.js";
import { toRecordTypeName } from "../naming.js";
import { generatedBanner } from "./banner.js";

/** Removes Kaivo's extension keywords, which json-schema-to-typescript does not know. */
function withoutKaivoKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutKaivoKeywords);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !key.startsWith("x-kaivo-"))
      .map(([key, value]) => [key, withoutKaivoKeywords(value)]),
  );
}

/** The TypeScript type of one record as Graph sends it (Graph field names, not columns). */
export async function emitRecordType(declaration: TableDeclaration, sourceFile: string): Promise<string> {
  // Loaded on first use: it brings prettier, which every other command would pay for at start-up.
  const { compile } = await import("json-schema-to-typescript");
  const schema = { ...(withoutKaivoKeywords(declaration.schema) as JSONSchema4), title: undefined, description: declaration.description };
  return compile(schema, toRecordTypeName(declaration.name), {
    bannerComment: generatedBanner("//", sourceFile),
    additionalProperties: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 120, semi: true },
  });
}
