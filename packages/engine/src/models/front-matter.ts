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
  let frontMatter: unknown;
  try {
    frontMatter = JSON.parse(json);
  } catch (error) {
    return { pointer: "", message: `has a front matter that is not valid JSON (${jsonErrorAt(error, json)})` };
  }
  const body = "\n".repeat(end + 1) + lines.slice(end + 1).join("\n");
  return { frontMatter, body };
}

/** JSON.parse's message with the position turned into a file line (the JSON starts on line 2). */
function jsonErrorAt(error: unknown, json: string): string {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const line = json.slice(0, Number(position)).split("\n").length + 1;
  return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line}`;
}
