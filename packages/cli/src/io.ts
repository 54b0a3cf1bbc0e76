/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars) rather than a pipe. */
  isTTY: boolean;
  /** The terminal's width in columns, when stdout is one (the live progress block fits its lines to it). */
  columns?: () => number | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A command's result when it is not success: 1 for a failed run. runCli returns it. */
  setExitCode?(code: number): void;
}

export function processIo(): CliIo {
  return {
    out: writerTo(process.stdout),
    err: writerTo(process.stderr),
    isTTY: Boolean(process.stdout.isTTY),
    columns: () => process.stdout.columns,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Writes to a process stream until its reader goes away (`kaivo sql … | head`): then the rest is
 * dropped and the command carries on, so a sync still finishes and commits. Node ignores SIGPIPE,
 * and an unhandled EPIPE would otherwise end the process with a stack trace.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
