export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Parse a `multipart/related` body (RFC 2046): parts between `--boundary` lines, each with headers, a blank line
 * and content; the CRLF before the next delimiter belongs to the delimiter. The Node client sends no CRLF after
 * the closing `--boundary--`.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (boundary === undefined) throw new Error("multipart body without a boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error("multipart boundary not found");
  for (;;) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error("unterminated multipart body");
    let end = next;
    if (body.subarray(end - 2, end).toString() === "\r\n") end -= 2;
    const chunk = body.subarray(start, end);
    const split = chunk.indexOf("\r\n\r\n");
    const headerText = split < 0 ? "" : chunk.subarray(0, split).toString("utf8");
    const content = split < 0 ? chunk : chunk.subarray(split + 4);
    const headers: Record<string, string> = {};
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: content });
    at = next;
  }
  return parts;
}
