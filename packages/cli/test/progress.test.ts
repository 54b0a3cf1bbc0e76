import type { SyncEvent } from "@kaivo/engine";
import { describe, expect, test, vi } from "vitest";
import { progressRenderer } from "../src/render/progress.js";

function capture(isTTY: boolean, columns = 200) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY, columns: () => columns, cwd: "/", env: {} } };
}

const started: SyncEvent = { type: "table.started", table: "users", mode: "delta", round: "initial" };
const stopped: SyncEvent = {
  type: "table.finished",
  summary: { table: "users", status: "interrupted", inserted: 999, updated: 0, deleted: 0, rejected: 0, requests: 2, retries: 0, seconds: 1.25 },
};
const STOPPING = "SIGINT: stopping; each table commits the pages it has fetched. Press Ctrl-C again to quit at once (the next run resumes either way).";

describe("the stop notice", () => {
  test("on a terminal it is the last line of the live block, so later redraws keep it in place", () => {
    const { out, err, io } = capture(true);
    const progress = progressRenderer(io, "tty");
    progress.onEvent(started);
    progress.stopping("SIGINT");
    progress.onEvent(stopped);
    const users = "users                     ";
    expect(out.join("")).toBe(
      `\x1b[2K${users} initial round: reading every object\n` +
        `\x1b[1A\r\x1b[2K${users} initial round: reading every object\n\x1b[2K${STOPPING}\n` +
        `\x1b[2A\r\x1b[2K${users} STOPPED in 1.3 s\n\x1b[2K${STOPPING}\n`,
    );
    expect(err).toEqual([]);
  });

  test("on a narrow terminal every line fits its width, the notice wrapped between words, so a redraw moves up exactly the rows it drew", () => {
    const { out, io } = capture(true, 60);
    const progress = progressRenderer(io, "tty");
    progress.onEvent(started);
    progress.onEvent({ type: "graph.throttled", table: "users", path: "/users/delta", throttleClass: "directory", status: 429, waitMs: 7000, attempt: 1, information: null });
    progress.stopping("SIGINT");
    const lastDraw = out.join("").split(/\x1b\[\d+A\r/).at(-1)!;
    const rows = lastDraw.split("\n").filter((l) => l !== "").map((l) => l.replace("\x1b[2K", ""));
    expect(rows).toEqual([
      "users                      initial round: reading every ob…",
      "SIGINT: stopping; each table commits the pages it has",
      "fetched. Press Ctrl-C again to quit at once (the next run",
      "resumes either way).",
    ]);
    expect(rows.every((r) => r.length < 60)).toBe(true);
    // The next redraw goes back up the four rows, no more, no fewer.
    progress.onEvent(stopped);
    expect(out.at(-5)).toBe("\x1b[4A\r");
  });

  test("a table Graph throttles says so, and for how long, until its next page", () => {
    const { out, io } = capture(true);
    const progress = progressRenderer(io, "tty");
    progress.onEvent(started);
    progress.onEvent({ type: "graph.throttled", table: "users", path: "/users/delta", throttleClass: "directory", status: 429, waitMs: 7000, attempt: 1, information: null });
    expect(out.at(-1)).toBe("\x1b[2Kusers                      initial round: reading every object; Graph throttled it (429): waiting 7 s\n");
    progress.onEvent({ type: "page.fetched", table: "users", records: 1500, pages: 2, requests: 3 } as SyncEvent);
    progress.done();
    expect(out.at(-1)).toBe("\x1b[2Kusers                      [..####..............] 1,500 records, 2 pages, 3 requests\n");
  });

  test("a table waiting for room in Graph's limit says so, with the limit Kaivo keeps to: on a terminal in its line, in a log every 10 s at most", () => {
    const paced: SyncEvent = { type: "graph.paced", table: "user_sign_in_activity", path: "/users", throttleClass: "signInActivity", waitMs: 42_000, limit: 10, windowMs: 63_000 };
    const tty = capture(true);
    const progress = progressRenderer(tty.io, "tty");
    progress.onEvent({ ...started, table: "user_sign_in_activity" });
    progress.onEvent(paced);
    expect(tty.out.at(-1)).toBe("\x1b[2Kuser_sign_in_activity      initial round: reading every object; next request in 42 s (Kaivo keeps signInActivity requests to 10 per 63 s, under Graph's limit)\n");
    const plain = capture(false);
    const log = progressRenderer(plain.io, "plain");
    log.onEvent(paced);
    log.onEvent(paced);
    expect(plain.err).toEqual(["user_sign_in_activity: next request in 42.0 s (Kaivo keeps signInActivity requests to 10 per 63 s, under Graph's limit)\n"]);
  });

  test("on a pipe it is a line on stderr; under --json an event on stdout", () => {
    const plain = capture(false);
    progressRenderer(plain.io, "plain").stopping("SIGTERM");
    expect(plain.err.join("")).toBe(`\n${STOPPING.replace("SIGINT", "SIGTERM").replace("Press Ctrl-C again", "Send SIGTERM again")}\n`);
    const json = capture(false);
    progressRenderer(json.io, "json").stopping("SIGINT");
    expect(json.out.join("")).toBe('{"type":"run.stopping","signal":"SIGINT"}\n');
  });
});

describe("Graph failing or hanging, in a log", () => {
  test("each retry is a line, so a log does not go silent; a wait Graph asked for is the throttled line alone", () => {
    const { err, io } = capture(false);
    const progress = progressRenderer(io, "plain");
    progress.onEvent({ type: "graph.retry", table: "users", path: "/users", status: null, error: "UND_ERR_HEADERS_TIMEOUT", attempt: 1, waitMs: 1_250, reason: "backoff" });
    progress.onEvent({ type: "graph.retry", table: "users", path: "/users", status: 502, error: null, attempt: 2, waitMs: 2_000, reason: "backoff" });
    progress.onEvent({ type: "graph.retry", table: "users", path: "/users", status: 429, error: null, attempt: 3, waitMs: 3_000, reason: "retry-after" });
    expect(err.join("")).toBe(
      "users: GET /users failed (UND_ERR_HEADERS_TIMEOUT, attempt 1); retrying in 1.3 s\n" + "users: GET /users failed (502, attempt 2); retrying in 2.0 s\n",
    );
  });
});

describe("a long round, in a log", () => {
  test("says how many records it has read every 10 s, and nothing of the pages of a round read sooner", () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const { err, io } = capture(false);
      const progress = progressRenderer(io, "plain");
      const page = (pages: number): SyncEvent => ({ type: "page.fetched", table: "users", pages, records: pages * 999, requests: pages });
      progress.onEvent(started);
      progress.onEvent(page(1));
      vi.setSystemTime(9_000);
      progress.onEvent(page(2));
      vi.setSystemTime(10_500);
      progress.onEvent(page(3));
      vi.setSystemTime(15_000);
      progress.onEvent(page(4));
      vi.setSystemTime(20_500);
      progress.onEvent(page(5));
      expect(err.join("")).toBe("users: initial round: reading every object\nusers: 2,997 records read so far (3 pages)\nusers: 4,995 records read so far (5 pages)\n");
    } finally {
      vi.useRealTimers();
    }
  });
});
