import { open, type FileHandle } from "node:fs/promises";
import { StagingFolderError } from "./staging-folder-error.js";

/** Bytes encoded before they are written to the file. */
const BUFFER_BYTES = 256 * 1024;

/**
 * An NDJSON file written through buffers: each line is encoded straight into the current one, which
 * goes to the file once it is full while the next fills. Lines are added synchronously (a page's
 * records are staged without waiting for the disk); `drain` waits for the disk. Joining text into
 * larger strings first costs more than the encoding: the joined string must be flattened (copied),
 * and one non-ASCII character makes all of it two-byte.
 */
export class NdjsonFile {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly file: Promise<FileHandle>;
  /** The full buffers' writes, in order. */
  private writes: Promise<void>;

  private closed = false;

  constructor(readonly path: string) {
    this.file = open(path, "w").catch((error: unknown) => Promise.reject(new StagingFolderError("write", path, error)));
    this.writes = this.file.then(() => undefined);
    // A failure is reported by drain or close, not as an unhandled rejection meanwhile.
    this.writes.catch(() => undefined);
  }

  /** Adds a line: the JSON object `json` with `members` (text like `"a":1,"b":2`) appended to it. */
  addObject(json: string, members: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit; the comma, the brace and the newline add three.
    const most = (json.length + members.length) * 3 + 3;
    if (this.used + most > this.buffer.length) {
      this.writeBuffer();
      if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(most);
    }
    // The two are encoded one after the other: joining them first would copy the object's text.
    if (json.length > 2) {
      // Over the object's closing brace, which is one byte.
      this.used += this.buffer.write(json, this.used) - 1;
      this.used += this.buffer.write(`,${members}}\n`, this.used);
    } else {
      this.used += this.buffer.write(`{${members}}\n`, this.used);
    }
  }

  /** Resolves once every line added so far is in the file; rejects with the first write's failure. */
  async drain(): Promise<void> {
    this.writeBuffer();
    await this.writes;
  }

  /** Writes what is buffered and closes the file; closes it on failure too. */
  async close(): Promise<void> {
    try {
      await this.drain();
    } finally {
      await this.closeHandle();
    }
  }

  /** Closes the file once; a failed write closes it too, so no handle is left for the garbage collector. */
  private async closeHandle(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await (await this.file.catch(() => undefined))?.close().catch(() => undefined);
  }

  private writeBuffer(): void {
    if (this.used === 0) return;
    const full = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
    this.writes = this.writes.then(async () => {
      await (await this.file).write(full).catch((error: unknown) => Promise.reject(new StagingFolderError("write", this.path, error)));
    });
    this.writes.catch(() => this.closeHandle());
  }
}
