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
