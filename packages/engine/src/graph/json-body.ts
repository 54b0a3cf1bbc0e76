/**
 * JSON.parse for a response body, without ever holding the whole body as one string.
 *
 * A Graph page is a few megabytes. Decoding it to one string and parsing that costs far more than
 * the parse itself: every string over V8's regular-object size lands in a freshly mapped large-object
 * page (page faults on each one), and a single non-ASCII character anywhere makes V8 decode the whole
 * page on its slow two-byte path. Here the body stays bytes; one scan finds where each member of the
 * top-level object and each element of its arrays begins and ends, and only those small slices are
 * decoded and parsed. The result is the value JSON.parse would return for the whole text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Slices at most this long are parsed whole; longer objects and arrays are split one level further. */
const SPLIT_ABOVE_BYTES = 64 * 1024;

/** Parses a JSON document given as the chunks of a response body. Throws SyntaxError like JSON.parse. */
export function parseJsonChunks(chunks: readonly Uint8Array[]): unknown {
  const bytes = chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks);
  const start = skipSpace(bytes, 0, bytes.length);
  const end = trimEnd(bytes, start, bytes.length);
  if (start >= end) return JSON.parse(""); // the same SyntaxError JSON.parse gives
  return parseRange(bytes, start, end);
}

function parseRange(bytes: Buffer, start: number, end: number): unknown {
  const first = bytes[start];
  if (end - start <= SPLIT_ABOVE_BYTES || (first !== OPEN_OBJECT && first !== OPEN_ARRAY)) {
    return JSON.parse(bytes.toString("utf8", start, end));
  }
  if (bytes[end - 1] !== (first === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) throw truncated(end);
  return first === OPEN_OBJECT ? parseObject(bytes, start, end) : parseArray(bytes, start, end);
}

function parseObject(bytes: Buffer, start: number, end: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = skipSpace(bytes, start + 1, end - 1);
  if (i === end - 1) return out;
  for (;;) {
    if (bytes[i] !== QUOTE) throw unexpected(bytes, i);
    const keyEnd = endOfString(bytes, i, end);
    const key = JSON.parse(bytes.toString("utf8", i, keyEnd)) as string;
    i = skipSpace(bytes, keyEnd, end);
    if (bytes[i] !== COLON) throw unexpected(bytes, i);
    const valueStart = skipSpace(bytes, i + 1, end);
    const valueEnd = endOfValue(bytes, valueStart, end - 1);
    const value = parseRange(bytes, valueStart, trimEnd(bytes, valueStart, valueEnd));
    // Defined like JSON.parse does, so a "__proto__" key stays an own property.
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    i = skipSpace(bytes, valueEnd, end);
    if (i === end - 1) return out;
    if (bytes[i] !== COMMA) throw unexpected(bytes, i);
    i = skipSpace(bytes, i + 1, end);
  }
}

function parseArray(bytes: Buffer, start: number, end: number): unknown[] {
  const out: unknown[] = [];
  let i = skipSpace(bytes, start + 1, end - 1);
  if (i === end - 1) return out;
  for (;;) {
    const valueEnd = endOfValue(bytes, i, end - 1);
    out.push(parseRange(bytes, i, trimEnd(bytes, i, valueEnd)));
    i = skipSpace(bytes, valueEnd, end);
    if (i === end - 1) return out;
    if (bytes[i] !== COMMA) throw unexpected(bytes, i);
    i = skipSpace(bytes, i + 1, end);
  }
}

/**
 * Index just past the value starting at `i`: past its closing quote or bracket, or for a scalar at
 * the next comma or closing bracket at its level. `limit` is the enclosing container's closing byte.
 */
function endOfValue(bytes: Buffer, i: number, limit: number): number {
  const first = bytes[i];
  if (first === QUOTE) return endOfString(bytes, i, limit);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    let j = i;
    while (j < limit && bytes[j] !== COMMA && bytes[j] !== CLOSE_OBJECT && bytes[j] !== CLOSE_ARRAY) j++;
    if (j === i) throw unexpected(bytes, i);
    return j;
  }
  let depth = 0;
  for (let j = i; j < limit; j++) {
    const b = bytes[j];
    if (b === QUOTE) {
      j = endOfString(bytes, j, limit) - 1;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      depth++;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      if (--depth === 0) return j + 1;
    }
  }
  throw truncated(limit);
}

/** Index just past the closing quote of the string that opens at `i`. */
function endOfString(bytes: Buffer, i: number, limit: number): number {
  let j = i + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, j);
    if (quote < 0 || quote >= limit) throw truncated(limit);
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    j = quote + 1;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(bytes: Buffer, i: number, end: number): number {
  while (i < end && isSpace(bytes[i]!)) i++;
  return i;
}

function trimEnd(bytes: Buffer, start: number, end: number): number {
  while (end > start && isSpace(bytes[end - 1]!)) end--;
  return end;
}

function unexpected(bytes: Buffer, i: number): SyntaxError {
  return i >= bytes.length ? truncated(i) : new SyntaxError(`Unexpected token '${String.fromCharCode(bytes[i]!)}' in JSON at position ${i}`);
}

function truncated(i: number): SyntaxError {
  return new SyntaxError(`Unexpected end of JSON input at position ${i}`);
}
