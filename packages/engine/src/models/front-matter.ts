import { parseJsonText } from "@kaivo/codegen";
import type { ConfigProblem } from "./validate-config.js";

export interface SplitModelFile {
  /** The parsed JSON between the `---` lines (not yet validated). */
  frontMatter: unknown;
  /** The template, with the front matter replaced by as many blank lines, so line numbers match the file. */
  body: string;
}

const FENCE = /^---[ \t]*$/;

/**
 * Splits a model file into its JSON front matter and its template body. The file must start with
 * a line `---`, then a JSON object, then a line `---`.
 */
export function splitModelFile(text: string): SplitModelFile | ConfigProblem {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? "")) {
    return { pointer: "", message: "must start with a front matter: a line ---, a JSON object with the model configuration, and a line ---" };
  }
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (end < 0) return { pointer: "", message: "has a front matter that is never closed (no second --- line)" };
  const json = lines.slice(1, end).join("\n");
  const parsed = parseJsonText(json, 2);
  if (!parsed.ok) return { pointer: "", message: `has a front matter that is not valid JSON (${parsed.reason})` };
  const frontMatter = parsed.value;
  const body = "\n".repeat(end + 1) + lines.slice(end + 1).join("\n");
  return { frontMatter, body };
}

