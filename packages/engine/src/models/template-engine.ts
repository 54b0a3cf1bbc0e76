import Handlebars from "handlebars";
import { KaivoError } from "@kaivo/codegen";
import { ModelTemplateError, type TemplateLocation } from "./errors.js";
import { createTemplateHelpers, HELPER_NAMES, type HelperContext } from "./template-helpers.js";

// One isolated environment; helpers are passed per render (they close over the model and dialect).
const handlebars = Handlebars.create();

const COMPILE_OPTIONS: CompileOptions = {
  // A misspelled variable throws instead of rendering an empty string into SQL (toolchain notes §8).
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(HELPER_NAMES.map((name) => [name, true])),
  // SQL is not HTML: never escape quotes.
  noEscape: true,
};

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Renders one template with the helpers for `context`. Every failure becomes a
 * ModelTemplateError (or the ModelRefError a helper raised) naming the file and line.
 */
export function renderTemplate(template: string, context: HelperContext): string {
  const location = (line: number | undefined): TemplateLocation => ({ file: context.file, line: context.fileLines === false ? undefined : line });
  try {
    let render = compiled.get(template);
    if (render === undefined) {
      render = handlebars.compile(template, COMPILE_OPTIONS);
      compiled.set(template, render);
    }
    return render({}, { helpers: createTemplateHelpers(context) });
  } catch (error) {
    if (error instanceof KaivoError) throw error;
    throw translate(error, location, context.reasonPrefix ?? "");
  }
}

function translate(error: unknown, location: (line: number | undefined) => TemplateLocation, prefix: string): ModelTemplateError {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /^"(.*)" not defined in .* - (\d+):\d+$/.exec(message);
  if (missing) {
    return new ModelTemplateError(location(Number(missing[2])), `${prefix}"${missing[1]}" is not defined (templates render in strict mode)`, {
      hint: "Quote literal arguments (\"users\"), and check the spelling of the variable.",
      cause: error,
    });
  }
  const helper = /^You specified knownHelpersOnly, but used the unknown helper (\S+) - (\d+):\d+$/.exec(message);
  if (helper) {
    return new ModelTemplateError(location(Number(helper[2])), `${prefix}unknown helper "${helper[1]}"`, {
      hint: `Helpers: ${HELPER_NAMES.join(", ")}, and handlebars' if, unless, each, with.`,
      cause: error,
    });
  }
  const parse = /^Parse error on line (\d+):\n([\s\S]*)$/.exec(message);
  if (parse) {
    const detail = (parse[2] ?? "").split("\n").slice(-1)[0] ?? "";
    return new ModelTemplateError(location(Number(parse[1])), `${prefix}template does not parse: ${detail}`, { cause: error });
  }
  const line = (error as { lineNumber?: unknown }).lineNumber;
  return new ModelTemplateError(location(typeof line === "number" ? line : undefined), `${prefix}${message}`, { cause: error });
}
