import { runCli } from "@kaivo/cli";
import type { RunSummary } from "@kaivo/engine";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface KaivoResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the real CLI in this process with captured output (exactly what a user's terminal would get). */
export async function kaivo(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean }): Promise<KaivoResult> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    isTTY: options.tty ?? false,
    cwd: options.cwd,
    env: { PATH: process.env.PATH, NO_COLOR: "1", ...options.env },
  });
  return { code, out, err };
}

/** Runs `kaivo run --json …` and returns the summary from its run.finished event. */
export async function runSummary(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunSummary> {
  const result = await kaivo(["run", "--json", ...args], options);
  const events = result.out.trim().split("\n").map((l) => JSON.parse(l) as { type: string; summary?: RunSummary });
  const finished = events.find((e) => e.type === "run.finished");
  if (!finished?.summary) throw new Error(`no run.finished event; exit ${result.code}; stderr: ${result.err}`);
  return finished.summary;
}

export const KAIVO_BIN = fileURLToPath(new URL("../../packages/cli/bin/kaivo.js", import.meta.url));

/** Starts the built CLI as a child process (for tests that kill it). */
export function spawnKaivo(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  return spawn(process.execPath, [KAIVO_BIN, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
}
