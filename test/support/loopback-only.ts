import net from "node:net";
import { afterAll } from "vitest";

/**
 * Tests may talk to 127.0.0.1 only. Every TCP connect in the test process is checked before a
 * packet leaves: anything else (the cloud metadata server the Google auth library probes, a real
 * Graph or BigQuery host) throws, and the file fails in afterAll even if the caller swallowed it.
 */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
export const refusedConnections: string[] = [];

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; port?: number } | number | string;
  const host = typeof options === "object" && options !== null ? options.host : typeof args[1] === "string" ? args[1] : undefined;
  const isPipe = typeof options === "string" || (typeof options === "object" && options !== null && options.path !== undefined);
  if (!isPipe && host !== undefined && !LOOPBACK.test(host)) {
    refusedConnections.push(host);
    throw new Error(`test tried to connect to ${host}; tests may only reach 127.0.0.1`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

afterAll(() => {
  if (refusedConnections.length > 0) throw new Error(`connections outside 127.0.0.1 were attempted: ${refusedConnections.join(", ")}`);
});
