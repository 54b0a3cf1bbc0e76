import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The root of the Kaivo checkout this package belongs to (it holds tables/ and models/). */
export const BUNDLED_PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The project root a command works on: the current directory when it has a tables/ folder
 * (a user's own project), else the Kaivo checkout itself.
 */
export function resolveProjectRoot(cwd: string = process.cwd()): string {
  return existsSync(join(cwd, "tables")) ? resolve(cwd) : resolve(BUNDLED_PROJECT_ROOT);
}
