/** A JSON document parsed, or why it is not one, said so that a person can find the spot. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Parses the text of a JSON file a person wrote (a config, a declaration, a model's front matter).
 * A leading byte-order mark, which some editors write, is ignored. On an error, the reason gives
 * the line and column instead of V8's character offset, and leaves out the excerpt of the text V8
 * quotes. `firstLine`: the file line the text starts on (a front matter starts on line 2).
 */
export function parseJsonText(text: string, firstLine = 1): ParsedJson {
  const json = text.replace(/^\uFEFF/, "");
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/ at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
    if (position === undefined) return { ok: false, reason };
    const before = json.slice(0, Number(position)).split("\n");
    return { ok: false, reason: `${reason} at line ${before.length + firstLine - 1}, column ${before.at(-1)!.length + 1}` };
  }
}
