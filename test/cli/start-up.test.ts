import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { KAIVO_BIN } from "../support/kaivo.js";

/**
 * The packages a command loads before it does anything: a command that never asks Graph for a token
 * or generates TypeScript (`kaivo sql`, `state`, `--version`) must not pay for MSAL (about 470
 * modules) or json-schema-to-typescript (which brings prettier).
 */
describe("kaivo start-up", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaivo-start-up-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A module resolve hook that prints each package an import resolves into, on stderr.
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url)?.[1];
      if (name) process.stderr.write("loaded " + name + "\\n");
      return resolved;
    }`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

  test("`kaivo --version` loads neither MSAL nor json-schema-to-typescript", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", register, KAIVO_BIN, "--version"], { cwd: dir });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const loaded = new Set([...stderr.matchAll(/^loaded (\S+)$/gm)].map((m) => m[1]));
    // The hook sees the packages the CLI does load (so an empty list would not pass for a broken hook).
    expect(loaded).toContain("commander");
    expect([...loaded].filter((name) => /^@azure\/msal|^json-schema-to-typescript$|^prettier$/.test(name))).toStrictEqual([]);
  });

  test("a reader that goes away (`kaivo tables | head -1`) ends nothing with a stack trace: the command finishes, exit 0", async () => {
    const child = spawn(process.execPath, [KAIVO_BIN, "tables"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    // Closed before the CLI has loaded: its first write meets a pipe without a reader (EPIPE).
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
