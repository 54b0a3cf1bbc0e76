import { open, type FileHandle } from "node:fs/promises";

/** Bytes encoded before they are written to the file. */
const BUFFER_BYTES = 256 * 1024;

/**
 * An NDJSON file written through one reused buffer: each line is encoded straight into it. Joining
 * text into larger strings first costs more than the encoding: the joined string must be flattened
 * (copied), and one non-ASCII character makes all of it two-byte.
 */
export class NdjsonFile {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<NdjsonFile> {
    return new NdjsonFile(await open(path, "w"));
  }

  /**
   * Adds a line: the JSON object `json` with `members` (text like `"a":1,"b":2`) appended to it.
   * The two are encoded one after the other: joining them first would copy the object's text.
   * Returns a promise only when the buffer had to be written out first.
   */
  addObject(json: string, members: string): Promise<void> | undefined {
    // UTF-8 takes at most three bytes per UTF-16 unit; the comma, the brace and the newline add three.
    const most = (json.length + members.length) * 3 + 3;
    if (this.used + most <= this.buffer.length) {
      this.encode(json, members);
      return undefined;
    }
    return this.flush().then(() => {
      if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(most);
      this.encode(json, members);
    });
  }

  private encode(json: string, members: string): void {
    if (json.length > 2) {
      // Over the object's closing brace, which is one byte.
      this.used += this.buffer.write(json, this.used) - 1;
      this.used += this.buffer.write(`,${members}}\n`, this.used);
    } else {
      this.used += this.buffer.write(`{${members}}\n`, this.used);
    }
  }

  /** Writes what is buffered and closes the file; closes it on failure too. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }

  private async flush(): Promise<void> {
    if (this.used > 0) await this.file.write(this.buffer, 0, this.used);
    this.used = 0;
  }
}
