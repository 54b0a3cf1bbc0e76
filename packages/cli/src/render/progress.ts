import type { SyncEvent, TableSummary } from "@kaivo/engine";
import type { CliIo } from "../io.js";
import { STATUS_LABELS } from "./summary.js";

/** What the sync reports through: its events, the notice that it was asked to stop, and the end. */
export interface ProgressRenderer {
  onEvent: (e: SyncEvent) => void;
  /** The run was asked to stop by `signal` (SIGINT, SIGTERM). */
  stopping: (signal: string) => void;
  done: () => void;
}

/** What the first stop signal prints; the same signal again quits at once. */
function stoppingNotice(signal: string): string {
  const again = signal === "SIGINT" ? "Press Ctrl-C again" : `Send ${signal} again`;
  return `${signal}: stopping; each table commits the pages it has fetched. ${again} to quit at once (the next run resumes either way).`;
}

/** Renders sync events: one JSON line each (--json), live per-table lines (TTY), or milestones (pipe). */
export function progressRenderer(io: CliIo, mode: "json" | "tty" | "plain"): ProgressRenderer {
  if (mode === "json") {
    return {
      onEvent: (e) => io.out(`${JSON.stringify(e)}\n`),
      stopping: (signal) => io.out(`${JSON.stringify({ type: "run.stopping", signal })}\n`),
      done: () => undefined,
    };
  }
  if (mode === "plain") return plainProgress(io);
  return terminalProgress(io);
}

/** Width of the activity bar: a block that moves a step per page (Graph tells no totals to measure against). */
const BAR_WIDTH = 20;

/**
 * The live block on a terminal: a line per table, rewritten in place, saying what it waits on
 * (Graph's throttling, a retry) until its next page arrives. Every line fits the terminal's width:
 * a wrapped line would take two rows, and the redraw, moving up one per line, would leave copies.
 */
function terminalProgress(io: CliIo): ProgressRenderer {
  const tables = new Map<string, { text: string; waiting?: string }>();
  // The stop notice is the block's last line: printed below it, the next redraw would overwrite it.
  let footer: string[] = [];
  let drawn = 0;
  const width = () => Math.max(20, (io.columns?.() ?? 80) - 1);
  const fit = (line: string) => (line.length <= width() ? line : `${line.slice(0, width() - 1)}…`);
  const draw = () => {
    // Back to the block's first line and column (the terminal may have echoed ^C after it).
    if (drawn > 0) io.out(`\x1b[${drawn}A\r`);
    const lines = [...[...tables.values()].map((t) => fit(t.waiting ? `${t.text}; ${t.waiting}` : t.text)), ...footer];
    for (const line of lines) io.out(`\x1b[2K${line}\n`);
    drawn = lines.length;
  };
  const set = (table: string, text: string) => tables.set(table, { text });
  const waiting = (table: string, why: string) => {
    const line = tables.get(table);
    if (line) line.waiting = why;
  };
  const bar = (pages: number) => {
    const at = pages % (BAR_WIDTH - 3);
    return `[${".".repeat(at)}####${".".repeat(BAR_WIDTH - 4 - at)}]`;
  };
  let last = 0;
  return {
    onEvent: (e) => {
      switch (e.type) {
        case "table.started":
          set(e.table, `${e.table.padEnd(26)} ${roundOf(e)}`);
          break;
        case "page.fetched":
          set(e.table, `${e.table.padEnd(26)} ${bar(e.pages)} ${e.records.toLocaleString("en")} records, ${e.pages.toLocaleString("en")} pages, ${e.requests.toLocaleString("en")} requests`);
          break;
        case "table.finished":
          set(e.summary.table, `${e.summary.table.padEnd(26)} ${doneLabel(e.summary.status)} in ${e.summary.seconds.toFixed(1)} s`);
          break;
        case "graph.throttled":
          waiting(e.table, `Graph throttled it (${e.status}): waiting ${(e.waitMs / 1000).toFixed(0)} s`);
          break;
        case "graph.retry":
          if (e.reason === "backoff") waiting(e.table, `retrying (${e.status ?? e.error ?? "no answer"}, attempt ${e.attempt})`);
          break;
        case "graph.paced":
          waiting(e.table, `next request in ${(e.waitMs / 1000).toFixed(0)} s (${pacedWhy(e)})`);
          break;
        case "table.resync":
          waiting(e.table, "full resync");
          break;
        case "table.restarted":
          waiting(e.table, "starting the round over");
          break;
        default:
          return;
      }
      const now = Date.now();
      if (e.type !== "page.fetched" || now - last > 100) {
        last = now;
        draw();
      }
    },
    stopping: (signal) => {
      footer = wrap(stoppingNotice(signal), width());
      draw();
    },
    done: draw,
  };
}

/** Why requests of a class wait: Kaivo keeps them under Graph's published limit for the class. */
function pacedWhy(e: Extract<SyncEvent, { type: "graph.paced" }>): string {
  return `Kaivo keeps ${e.throttleClass} requests to ${e.limit.toLocaleString("en")}${e.throttleClass === "directory" ? " resource units" : ""} per ${(e.windowMs / 1000).toFixed(0)} s, under Graph's limit`;
}

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Time between two "read so far" lines, or two "committed so far" lines, of one table on a pipe. */
const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

/**
 * Milestones for a pipe or a log (cron, CI): each table's start and end, the records it has read
 * and the rows it has committed now and then during a long round (a first round commits every
 * 50,000 rows or so), and Graph's throttling, which can hold every table for a while.
 */
function plainProgress(io: CliIo): ProgressRenderer {
  const lastCommitLine = new Map<string, number>();
  const lastReadLine = new Map<string, number>();
  const lastPacedLine = new Map<string, number>();
  /** Whether `table`'s line of this kind is due, noting it printed when it is. */
  const due = (lines: Map<string, number>, table: string) => {
    const now = Date.now();
    if (now - (lines.get(table) ?? -Infinity) < PLAIN_PROGRESS_INTERVAL_MS) return false;
    lines.set(table, now);
    return true;
  };
  return {
    onEvent: (e) => {
      switch (e.type) {
        case "table.started":
          // A table read in less time says nothing of its pages.
          lastReadLine.set(e.table, Date.now());
          io.err(`${e.table}: ${roundOf(e)}\n`);
          break;
        case "page.fetched":
          if (due(lastReadLine, e.table)) io.err(`${e.table}: ${e.records.toLocaleString("en")} records read so far (${e.pages.toLocaleString("en")} pages)\n`);
          break;
        case "table.resync":
          io.err(`${e.table}: full resync: ${e.reason}\n`);
          break;
        case "table.restarted":
          io.err(`${e.table}: starting the round over: ${e.reason}\n`);
          break;
        case "table.reread":
          io.err(`${e.table}: reading ${e.objects === 1 ? "1 object" : `${e.objects.toLocaleString("en")} objects`} again whole: an earlier record of ${e.objects === 1 ? "it" : "each"} was rejected, and Graph has sent a change since\n`);
          break;
        case "table.warning":
          io.err(`${e.table}: warning: ${e.message}\n`);
          break;
        case "table.committed":
          if (e.checkpoint && due(lastCommitLine, e.table)) io.err(`${e.table}: ${(e.counts.inserted + e.counts.updated + e.counts.deleted).toLocaleString("en")} rows committed so far\n`);
          break;
        case "graph.retry":
          // A log otherwise shows nothing while Graph fails or hangs (a request waits up to a minute);
          // a wait Graph asked for is the throttled line below.
          if (e.reason === "retry-after") break;
          io.err(`${e.table}: GET ${e.path} failed (${e.status ?? e.error ?? "no answer"}, attempt ${e.attempt}); retrying in ${(e.waitMs / 1000).toFixed(1)} s\n`);
          break;
        case "warehouse.retry":
          io.err(`warehouse: ${e.error} (attempt ${e.attempt}); retrying in ${(e.waitMs / 1000).toFixed(1)} s\n`);
          break;
        case "graph.throttled":
          io.err(`${e.table}: Graph throttled the request (${e.status}); ${e.throttleClass} requests of every table wait ${(e.waitMs / 1000).toFixed(1)} s\n`);
          break;
        case "graph.paced":
          if (due(lastPacedLine, e.table)) io.err(`${e.table}: next request in ${(e.waitMs / 1000).toFixed(1)} s (${pacedWhy(e)})\n`);
          break;
        case "table.finished":
          io.err(`${e.summary.table}: ${doneLabel(e.summary.status)} in ${e.summary.seconds.toFixed(1)} s\n`);
          break;
      }
    },
    stopping: (signal) => io.err(`\n${stoppingNotice(signal)}\n`),
    done: () => undefined,
  };
}

/** What a table's round is, in words. */
function roundOf(e: Extract<SyncEvent, { type: "table.started" }>): string {
  if (e.parent) return `edges arrive with ${e.parent}`;
  switch (e.round) {
    case "full":
      return "full refresh";
    case "initial":
      // A first sync, or a resync (a table.resync line follows with the reason).
      return e.mode === "cursor" ? "initial round: reading as far back as the table keeps" : "initial round: reading every object";
    case "incremental":
      return e.mode === "cursor" ? "reading events since the stored cursor" : "reading changes since the last run";
    case "resumed":
      return "resuming the interrupted round from its checkpoint";
  }
}

/** How a finished table's line reads: "done", or the summary's label for a table that did not finish. */
function doneLabel(status: TableSummary["status"]): string {
  return status === "succeeded" ? "done" : STATUS_LABELS[status];
}
