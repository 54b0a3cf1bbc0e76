import { META_SCHEMA_PATH } from "./meta-schema.js";

/** Where a failure comes from; decides the exit code and whether a retry can help. */
export type ErrorCategory = "config" | "transient" | "upstream" | "internal";

export interface KaivoErrorOptions {
  /** The next step for the user, printed under the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * Base of every error Kaivo raises on purpose. The CLI prints `message` and `hint` as they are
 * (after redaction) and exits with `exitCode`; anything that is not a KaivoError is a bug and
 * prints with its stack.
 */
export class KaivoError extends Error {
  readonly hint: string | undefined;

  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    options: KaivoErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }

  /** 2 for bad usage or config (nothing was written), 1 for everything else. */
  get exitCode(): 1 | 2 {
    return this.category === "config" ? 2 : 1;
  }
}

/** One problem in one declaration file: the file, the JSON pointer inside it, and what is wrong. */
export interface DeclarationProblem {
  file: string;
  pointer: string;
  message: string;
}

/** Every problem found in `tables/` at once, in Dataform's collect-don't-throw style. */
export class DeclarationError extends KaivoError {
  constructor(readonly problems: readonly DeclarationProblem[]) {
    super(
      "KAIVO_DECLARATION_INVALID",
      "config",
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in table declarations:\n` +
        problems.map((p) => `  ${p.file}${p.pointer ? ` at ${p.pointer}` : ""}: ${p.message}`).join("\n"),
      { hint: `Fix the declarations named above; the meta-schema, which describes every field, is ${META_SCHEMA_PATH}.` },
    );
  }
}
