import { open, type FileHandle } from "node:fs/promises";

/** Bytes encoded before they are written to the file. */
const BUFFER_BYTES = 256 * 1024;

/**
 * An NDJSON file written through one reused buffer: each line is encoded straight into it. Joining
 * lines into larger strings first costs more than the encoding: the joined string must be
 * flattened, and one non-ASCII character makes all of it two-byte.
 */
export class NdjsonFile {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<NdjsonFile> {
    return new NdjsonFile(await open(path, "w"));
  }

  /** Adds a line (ending in "\n"); returns a promise only when the buffer had to be written out first. */
  add(line: string): Promise<void> | undefined {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (this.used + line.length * 3 <= this.buffer.length) {
      this.used += this.buffer.write(line, this.used);
      return undefined;
    }
    return this.flush().then(() => {
      if (line.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(line.length * 3);
      this.used = this.buffer.write(line, 0);
    });
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
