import { KaivoError } from "@kaivo/codegen";

/** Where a template problem is: the model file (shown relative to the project) and a 1-based line. */
export interface TemplateLocation {
  file: string;
  line: number | undefined;
}

function at(location: TemplateLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

/**
 * A template cannot be rendered: a parse error, a misspelled variable (strict mode), an unknown
 * helper, or a helper called with a bad argument. The message starts with `file:line`.
 */
export class ModelTemplateError extends KaivoError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(location: TemplateLocation, readonly reason: string, options: { hint?: string; cause?: unknown } = {}) {
    super("KAIVO_MODEL_TEMPLATE", "config", `${at(location)}: ${reason}`, options);
    this.file = location.file;
    this.line = location.line;
  }
}

/** `{{ref "x"}}` names no model, or `{{source "x"}}` names no declared table (dbt's TargetNotFoundError). */
export class ModelRefError extends KaivoError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(
    location: TemplateLocation,
    readonly model: string,
    readonly kind: "model" | "source",
    readonly missing: string,
    available: readonly string[],
  ) {
    super(
      "KAIVO_MODEL_REF_NOT_FOUND",
      "config",
      kind === "model"
        ? `${at(location)}: model "${model}" depends on a model named "${missing}" which was not found`
        : `${at(location)}: model "${model}" reads a source named "${missing}" which was not found`,
      {
        hint:
          kind === "model"
            ? `Known models: ${available.join(", ") || "(none)"}.`
            : `No table of that name is declared in tables/. Declared tables: ${available.join(", ") || "(none)"}.`,
      },
    );
    this.file = location.file;
    this.line = location.line;
  }
}

/** One `{{ref}}` on a cycle: the model, its file and the line of the ref that continues the cycle. */
export interface CycleStep {
  model: string;
  file: string;
  line: number | undefined;
  ref: string;
}

/** The models' refs form a cycle; `path` is the cycle from its first model back to itself. */
export class ModelCycleError extends KaivoError {
  readonly path: readonly string[];

  constructor(readonly steps: readonly CycleStep[]) {
    const path = [...steps.map((s) => s.model), steps[0]?.model ?? ""];
    super(
      "KAIVO_MODEL_CYCLE",
      "config",
      `Found a cycle in models: ${path.join(" -> ")}\n` +
        steps.map((s) => `  ${at(s)}: {{ref "${s.ref}"}}`).join("\n"),
      { hint: "A model cannot depend on itself, directly or through other models; remove one of the refs above." },
    );
    this.path = path;
  }
}

/** One problem in a model's front-matter configuration: the file, the JSON pointer and what is wrong. */
export interface ModelConfigProblem {
  file: string;
  pointer: string;
  message: string;
}

/** Front matter missing, not JSON, or not valid against the model config schema; or two models share a name. */
export class ModelConfigError extends KaivoError {
  constructor(
    readonly problems: readonly ModelConfigProblem[],
    hint = "A model file starts with a JSON front matter between two --- lines; see models/README.md.",
  ) {
    super(
      "KAIVO_MODEL_CONFIG_INVALID",
      "config",
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in model configuration:\n` +
        problems.map((p) => `  ${p.file}${p.pointer ? ` at ${p.pointer}` : ""}: ${p.message}`).join("\n"),
      { hint },
    );
  }
}

/** `--select` names no model. */
export class ModelSelectionError extends KaivoError {
  constructor(readonly selector: string, known: readonly string[]) {
    super("KAIVO_MODEL_SELECTION", "config", `No model matches the selection "${selector}"`, {
      hint: `Select "name", "name+" (and every model that depends on it), "+name" (and every model it reads) or "+name+". Known models: ${known.join(", ")}.`,
    });
  }
}
