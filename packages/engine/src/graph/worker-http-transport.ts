import { Worker } from "node:worker_threads";
import { siblingWorkerScript } from "../worker-script.js";
import type { HttpAgentOptions } from "./http-agent.js";
import { ATTEMPT_ABORTED, type AttemptOutcome, type HttpAttempt, type HttpTransport } from "./http-transport.js";
import type { HttpWorkerMessage, HttpWorkerReply } from "./http-worker.js";

/** How long closing waits for the HTTP thread to end on its own before stopping it. */
const CLOSE_GRACE_MS = 1_000;

/** The code of the network outcome every attempt under way gets if the worker thread dies. */
export const HTTP_WORKER_EXITED = "KAIVO_HTTP_WORKER_EXITED";

/**
 * Attempts sent from a worker thread of their own (http-worker.ts). Every table's responses used to
 * be received on the main thread between the pages it validates: at 50 ms per request, a groups
 * page waited 20 ms there for its request to leave and its response to be read (bench/sync.mjs).
 * The worker is started on the first attempt, again after it died, and keeps the process alive
 * only while attempts are under way.
 */
export class WorkerHttpTransport implements HttpTransport {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (outcome: AttemptOutcome) => void>();
  private nextId = 1;

  /** `script`: the worker's module; tests substitute one that wraps it. */
  constructor(
    private readonly agentOptions: HttpAgentOptions,
    private readonly script: URL = siblingWorkerScript(import.meta.url, "http-worker"),
  ) {}

  send(attempt: HttpAttempt, signal?: AbortSignal): Promise<AttemptOutcome> {
    if (signal?.aborted) return Promise.resolve(aborted(signal));
    const worker = this.running();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const abandon = (): void => {
        worker.postMessage({ abort: id } satisfies HttpWorkerMessage);
        this.finish(id, aborted(signal!));
      };
      this.pending.set(id, (outcome) => {
        signal?.removeEventListener("abort", abandon);
        resolve(outcome);
      });
      if (this.pending.size === 1) worker.ref();
      signal?.addEventListener("abort", abandon, { once: true });
      worker.postMessage({ id, attempt } satisfies HttpWorkerMessage);
    });
  }

  /**
   * Asks the thread to close its connections, and stops it if it has not within CLOSE_GRACE_MS: a
   * connection still being opened to a host that went silent (a run stopped while Graph hung) keeps
   * the thread alive until its 10 s connect timeout, past a container's grace period.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<true>((resolve) => worker.once("exit", () => resolve(true)));
    worker.ref();
    worker.postMessage("close");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)));
    if (!(await Promise.race([exited, graceOver]))) await worker.terminate();
    clearTimeout(timer);
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: this.agentOptions });
    worker.on("message", (reply: HttpWorkerReply) => this.settle(reply));
    worker.on("error", (error) => this.stopped(worker, error));
    worker.on("exit", (code) => this.stopped(worker, new Error(`Graph's HTTP worker thread exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: HttpWorkerReply): void {
    this.finish(
      reply.id,
      reply.kind === "response"
        ? { kind: "response", status: reply.status, headers: reply.headers, chunks: [Buffer.from(reply.body)] }
        : { kind: "network", code: reply.code, error: Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.code }) },
    );
  }

  /** Hands attempt `id` its outcome, once: a reply after the attempt was abandoned finds nothing to settle. */
  private finish(id: number, outcome: AttemptOutcome): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    resolve(outcome);
  }

  /** The worker is gone: what was under way fails as a network outcome (retried on a new worker). */
  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const resolve of this.pending.values()) resolve({ kind: "network", code: HTTP_WORKER_EXITED, error });
    this.pending.clear();
  }
}

function aborted(signal: AbortSignal): AttemptOutcome {
  return { kind: "network", code: ATTEMPT_ABORTED, error: signal.reason };
}
