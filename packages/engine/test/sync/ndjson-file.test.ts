import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { NdjsonFile } from "../../src/sync/ndjson-file.js";
import { StagingFolderError } from "../../src/sync/staging-folder-error.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kaivo-ndjson-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("objects with appended members come back line by line, whatever their size and characters", async () => {
  const objects: Array<Record<string, unknown>> = [
    { id: "a", name: "José Jørgensen" },
    {},
    { id: "b", name: "Ελένη", note: "x".repeat(700_000) }, // larger than the buffer
    ...Array.from({ length: 5_000 }, (_, i) => ({ id: `u${i}`, city: i % 2 ? "Kraków" : "Oslo" })),
  ];
  const path = join(dir, "rows.ndjson");
  const file = new NdjsonFile(path);
  for (const [i, o] of objects.entries()) {
    file.addObject(JSON.stringify(o), `"_seq":${i}`);
    // Part of the lines are on disk before the rest are added.
    if (i === 2_000) await file.drain();
  }
  await file.close();
  const lines = readFileSync(path, "utf8").split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.map((l) => JSON.parse(l))).toStrictEqual(objects.map((o, i) => ({ ...o, _seq: i })));
});

test("a file that cannot be written fails drain and close with the file system's error", async () => {
  const file = new NdjsonFile(join(dir, "missing", "rows.ndjson"));
  file.addObject(JSON.stringify({ id: "a" }), `"_seq":1`);
  await expect(file.drain()).rejects.toMatchObject({ code: "KAIVO_STAGING_FOLDER_UNUSABLE", cause: { code: "ENOENT" } });
  await expect(file.close()).rejects.toMatchObject({ code: "KAIVO_STAGING_FOLDER_UNUSABLE", cause: { code: "ENOENT" } });
});

test("a disk that is full: the write's failure names the file, the cause and TMPDIR", async () => {
  // /dev/full answers every write with ENOSPC.
  const file = new NdjsonFile("/dev/full");
  file.addObject(JSON.stringify({ id: "a" }), `"_seq":1`);
  const failure = await file.close().then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(StagingFolderError);
  expect((failure as StagingFolderError).message).toBe("Cannot write staged rows to /dev/full (ENOSPC: no space left on the device).");
  expect((failure as StagingFolderError).hint).toMatch(/point TMPDIR at a writable folder with room/);
  expect((failure as StagingFolderError).exitCode).toBe(1);
});
