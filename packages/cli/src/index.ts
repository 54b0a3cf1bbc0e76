export { runCli, buildProgram, VERSION } from "./program.js";
export type { CliIo } from "./io.js";
