/**
 * The thread Graph's responses are received on (see WorkerHttpTransport): TLS, HTTP parsing and
 * the body's chunks are handled here, on a thread that does nothing else, so a response arrives
 * whole while the main thread is busy with another table's page.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createHttpAgent, type HttpAgentOptions } from "./http-agent.js";
import { dispatcherTransport, type HttpAttempt } from "./http-transport.js";

/** An attempt to send, one under way to give up, or the end of the thread. */
export type HttpWorkerMessage = { id: number; attempt: HttpAttempt } | { abort: number } | "close";

/** A response with its body as one transferred buffer, or a network failure with what its error said. */
export type HttpWorkerReply =
  | { id: number; kind: "response"; status: number; headers: Record<string, string | string[] | undefined>; body: ArrayBuffer }
  | { id: number; kind: "network"; code: string; error: { name: string; message: string } };

const port = parentPort!;
const transport = dispatcherTransport(createHttpAgent(workerData as HttpAgentOptions), true);
/** Attempts under way, by id, for an abort message to find. */
const underWay = new Map<number, AbortController>();

port.on("message", (message: HttpWorkerMessage) => {
  if (message === "close") {
    void transport.close().finally(() => port.close());
    return;
  }
  if ("abort" in message) {
    underWay.get(message.abort)?.abort();
    return;
  }
  const controller = new AbortController();
  underWay.set(message.id, controller);
  void transport.send(message.attempt, controller.signal).then((outcome) => {
    underWay.delete(message.id);
    if (outcome.kind === "network") {
      const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
      port.postMessage({ id: message.id, kind: "network", code: outcome.code, error: { name: error.name, message: error.message } } satisfies HttpWorkerReply);
      return;
    }
    // Not Buffer.concat: a small result would share Node's buffer pool, which cannot be transferred.
    const body = new Uint8Array(outcome.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of outcome.chunks) {
      body.set(chunk, at);
      at += chunk.length;
    }
    port.postMessage({ id: message.id, kind: "response", status: outcome.status, headers: outcome.headers, body: body.buffer } satisfies HttpWorkerReply, [body.buffer]);
  });
});
