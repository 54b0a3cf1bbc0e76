import { describe, expect, test } from "vitest";
import { runCli } from "../src/program.js";

async function kaivo(args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const code = await runCli(args, { out: () => undefined, err: (t) => (err += t), isTTY: false, cwd: process.cwd(), env: {} });
  return { code, err };
}

describe("a bad numeric flag", () => {
  test.each([
    [["demo", "--users", "-5"], "error: option '--users <n>' argument '-5' is invalid. Expected a whole number.\n"],
    [["demo", "--seed", "1.5"], "error: option '--seed <s>' argument '1.5' is invalid. Expected a whole number.\n"],
    [["simulate", "--port", ""], "error: option '--port <p>' argument '' is invalid. Expected a whole number.\n"],
  ])("kaivo %j names the flag and exits 2, before starting anything", async (args, message) => {
    const result = await kaivo(args);
    expect(result.code).toBe(2);
    expect(result.err.startsWith(message)).toBe(true);
  });
});

describe("a usage error under --json", () => {
  test.each([
    [["run", "--json", "--tabels", "users"], "unknown option '--tabels'"],
    [["sql", "--json"], "missing required argument 'query'"],
    [["--json", "stat"], "unknown command 'stat'"],
  ])("kaivo %j prints one JSON error line, no help text, and exits 2", async (args, message) => {
    const result = await kaivo(args);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.err)).toEqual({ type: "error", code: "KAIVO_USAGE", message: expect.stringContaining(message), hint: expect.stringContaining("--help") });
  });

  test("without --json, the same error is commander's text followed by the command's help", async () => {
    const result = await kaivo(["run", "--tabels", "users"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: unknown option '--tabels'\n[\s\S]*Usage: kaivo run/);
  });
});
