import type { ServerResponse } from "node:http";

export type SendMode = "normal" | "reset" | "truncate";

/** Writes a response; "reset" destroys the socket mid-body, "truncate" sends a shortened body. */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, mode: SendMode = "normal"): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (mode === "truncate") {
    const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length * 0.6)));
    res.writeHead(status, { ...headers, "content-length": String(cut.length) });
    res.end(cut);
    return;
  }
  if (mode === "reset") {
    res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(bytes);
}
