/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars) rather than a pipe. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A command's result when it is not success: 1 for a failed run. runCli returns it. */
  setExitCode?(code: number): void;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
