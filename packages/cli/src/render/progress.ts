import type { SyncEvent } from "@kaivo/engine";
import type { CliIo } from "../io.js";

/** Renders sync events: one JSON line each (--json), live per-table lines (TTY), or milestones (pipe). */
export function progressRenderer(io: CliIo, mode: "json" | "tty" | "plain"): { onEvent: (e: SyncEvent) => void; done: () => void } {
  if (mode === "json") return { onEvent: (e) => io.out(`${JSON.stringify(e)}\n`), done: () => undefined };
  if (mode === "plain") {
    return {
      onEvent: (e) => {
        if (e.type === "table.started") io.err(`${e.table}: ${e.round} ${e.mode} sync\n`);
        else if (e.type === "table.resync") io.err(`${e.table}: full resync: ${e.reason}\n`);
        else if (e.type === "table.finished" && e.summary.status === "failed") io.err(`${e.summary.table}: failed\n`);
      },
      done: () => undefined,
    };
  }
  const lines = new Map<string, string>();
  let drawn = 0;
  const draw = () => {
    if (drawn > 0) io.out(`\x1b[${drawn}A`);
    for (const line of lines.values()) io.out(`\x1b[2K${line}\n`);
    drawn = lines.size;
  };
  const bar = (records: number) => {
    const width = 20;
    const filled = Math.min(width, Math.floor(Math.log10(records + 1) * 4));
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  };
  let last = 0;
  return {
    onEvent: (e) => {
      if (e.type === "table.started") lines.set(e.table, `${e.table.padEnd(26)} ${e.round} ${e.mode}`);
      else if (e.type === "page.fetched") lines.set(e.table, `${e.table.padEnd(26)} ${bar(e.records)} ${e.records} records, ${e.pages} pages, ${e.requests} requests`);
      else if (e.type === "table.finished") lines.set(e.summary.table, `${e.summary.table.padEnd(26)} ${e.summary.status === "succeeded" ? "done" : "FAILED"} in ${e.summary.seconds.toFixed(1)} s`);
      else return;
      const now = Date.now();
      if (e.type !== "page.fetched" || now - last > 100) {
        last = now;
        draw();
      }
    },
    done: draw,
  };
}
