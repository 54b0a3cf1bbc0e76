// Sync benchmark: a simulated tenant, all tables, into a fresh DuckDB file, against the floor (a bare
// undici loop fetching and parsing the same pages, discarding the records) in the same run against
// the same simulator. Prints figures; never passes or fails on time.
//
//   npm run build && node bench/sync.mjs                  # 100k users, latency 0 and 50 ms
//   node bench/sync.mjs --users 1000000 --latency 0       # the 1M-user memory figure
//   BENCH_SIM_CACHE_MB=8192 node bench/sync.mjs --users 1000000 --latency 0   # ... with every page replayable
//   BENCH_ENGINE_PROFILE=/tmp/engine.cpuprofile node bench/sync.mjs --latency 0   # ... profiling the engine's sync
//   BENCH_NO_ALONE=1 node bench/sync.mjs --latency 50    # without syncing each table alone afterwards (minutes less)
//   BENCH_NODE_FLAGS="--max-semi-space-size=32" node bench/sync.mjs --latency 0   # Node/V8 flags for the scenario's process
//   BENCH_CHILD_OUT=/tmp/child.out BENCH_NODE_FLAGS="--trace-gc" node bench/sync.mjs --latency 50   # ... keeping what the scenario printed
//   BENCH_TIMELINE=1 node bench/sync.mjs --latency 0      # when each table started, had its last page, and finished
//   node bench/sync.mjs --latency 0 --runs 5              # five runs, each in a fresh process, then their medians
//   BENCH_NO_REPLAY=1 node bench/sync.mjs --latency 0     # without the warehouse's replay (below)
//   BENCH_KEEP_COMMITS=/tmp/commits node bench/sync.mjs --latency 0   # ... keeping the recorded commits, then:
//   node bench/sync.mjs --replay /tmp/commits             # replay them alone again (e.g. after changing the destination)
//
// The warehouse's own share, measured in the same run: with no added latency, the engine's commits
// are recorded (their staged files hard-linked before the engine removes them) and, once the sync is
// measured, replayed in order into a fresh DuckDB file through the same destination, in a fresh
// process with nothing else running. Its time and peak RSS are what DuckDB alone needs for this
// run's data.
//
// The simulator runs in its own process (`kaivo simulate --no-throttling`), so its CPU and memory are
// not the engine's; each scenario runs in a fresh child process, and its peak RSS (VmHWM) is reset
// after the floor's first pass, so the figure is the engine's own.
import { spawn } from "node:child_process";
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, PerformanceObserver } from "node:perf_hooks";

const root = fileURLToPath(new URL("..", import.meta.url));
const mb = (bytes) => (bytes / 1048576).toFixed(0);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

if (process.argv[2] === "--scenario") {
  await scenario(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] === "alone");
} else if (process.argv[2] === "--replay") {
  await replayCommits(process.argv[3]);
} else {
  const users = arg("users", "100000").split(",").map(Number);
  const latencies = arg("latency", "0,50").split(",").map(Number);
  // This machine's figures vary by a quarter between identical runs: compare medians of several.
  const runs = Number(arg("runs", "1"));
  console.log("scenario                      engine s  floor s  ratio  rows      rows/s   requests  peak RSS MB");
  for (const u of users) {
    for (const l of latencies) {
      const label = `${u.toLocaleString("en")} users, ${l} ms`;
      const results = [];
      for (let run = 1; run <= runs; run++) {
        const r = await child(["--scenario", String(u), String(l), l > 0 && !process.env.BENCH_NO_ALONE ? "alone" : ""]);
        results.push(r);
        printRun(runs > 1 ? `${label} (${run}/${runs})` : label, r);
      }
      if (runs > 1) printMedians(label, results);
    }
  }
}

/** One line of the table: the scenario's figures under the header's columns. */
function row(label, { engine, floor, ratio = engine / floor, rows = "", rowsPerSecond = "", requests = "", rss }) {
  return `${label.padEnd(29)} ${engine.toFixed(1).padStart(8)} ${floor.toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(6)}  ${String(rows).padEnd(9)} ${String(rowsPerSecond).padEnd(8)} ${String(requests).padEnd(9)} ${mb(rss)}`;
}

function printRun(label, r) {
  console.log(row(label, { ...r, rowsPerSecond: Math.round(r.rows / r.engine) }));
  console.log(`  peak V8 heap ${mb(r.peakHeap)} MB of the peak RSS; at most ${mb(r.peakLiveHeap)} MB of it in use after a full GC`);
  console.log(`  at the highest RSS sampled (${mb(r.atPeak.rss)} MB): V8 heap ${mb(r.atPeak.heapTotal)} MB, Node's buffers ${mb(r.atPeak.arrayBuffers)} MB, the rest (DuckDB, code, malloc) ${mb(r.atPeak.rss - r.atPeak.heapTotal - r.atPeak.arrayBuffers)} MB`);
  console.log(`  CPU during the engine's sync: engine ${r.cpu.engine.toFixed(1)} s (main thread ${r.cpu.mainThread.toFixed(1)} s, other threads: DuckDB's statements, V8's GC helpers, file writes ${(r.cpu.engine - r.cpu.mainThread).toFixed(1)} s), simulator ${r.cpu.simulator.toFixed(1)} s`);
  console.log(`  the other threads, busiest first: ${r.cpu.otherThreads.filter((s) => s >= 0.05).map((s) => `${s.toFixed(1)} s`).join(", ")}`);
  if (r.replay) {
    const { seconds, cpu, rss, commits } = r.replay;
    console.log(`  the warehouse alone (DuckDB replaying this run's ${commits} commits from their staged files): ${seconds.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, peak RSS ${mb(rss)} MB`);
    console.log(`  engine / (floor + warehouse alone) = ${(r.engine / (r.floor + seconds)).toFixed(2)}; engine / the longer of the two = ${(r.engine / Math.max(r.floor, seconds)).toFixed(2)}; peak RSS / the warehouse's alone = ${(r.rss / rss).toFixed(2)}`);
  }
  if (r.alone) {
    const [table, seconds] = longestAlone(r);
    console.log(`  tables alone: longest is ${table} at ${seconds.toFixed(1)} s; whole sync / longest table = ${(r.engine / seconds).toFixed(2)}`);
    console.log(`  ${Object.entries(r.alone).map(([t, s]) => `${t} ${s.toFixed(1)}s`).join(", ")}`);
  }
}

/** Medians of several runs of one scenario (each figure's own; of an even count, the lower middle one). */
function printMedians(label, results) {
  const median = (figure) => results.map(figure).sort((a, b) => a - b)[(results.length - 1) >> 1];
  console.log(row(`${label}, median`, { engine: median((r) => r.engine), floor: median((r) => r.floor), ratio: median((r) => r.engine / r.floor), rss: median((r) => r.rss) }));
  const overlap = results[0].alone ? `; whole sync / longest table ${median((r) => r.engine / longestAlone(r)[1]).toFixed(2)}` : "";
  console.log(`  median CPU: engine ${median((r) => r.cpu.engine).toFixed(1)} s, main thread ${median((r) => r.cpu.mainThread).toFixed(1)} s${overlap}`);
  if (results[0].replay) {
    console.log(`  median warehouse alone ${median((r) => r.replay.seconds).toFixed(1)} s, ${mb(median((r) => r.replay.rss))} MB; engine / (floor + warehouse alone) ${median((r) => r.engine / (r.floor + r.replay.seconds)).toFixed(2)}`);
  }
}

function longestAlone(r) {
  return Object.entries(r.alone).sort((a, b) => b[1] - a[1])[0];
}

function child(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []), "--max-old-space-size=4096", "--expose-gc", fileURLToPath(import.meta.url), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("exit", (code) => {
      if (process.env.BENCH_CHILD_OUT) writeFileSync(process.env.BENCH_CHILD_OUT, out);
      if (code === 0) resolve(JSON.parse(out.trim().split("\n").pop()));
      else reject(new Error(`${args.join(" ")} exited ${code}`));
    });
  });
}

async function startSimulator(users, latency) {
  const profile = process.env.BENCH_SIM_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_SIM_PROFILE}`] : [];
  const sim = spawn(process.execPath, [...profile, join(root, "packages/cli/bin/kaivo.js"), "simulate", "--users", String(users), "--seed", "3", "--latency-ms", String(latency), "--no-throttling", "--response-cache-mb", process.env.BENCH_SIM_CACHE_MB ?? "1024"], { stdio: ["ignore", "pipe", "inherit"] });
  const ready = await new Promise((resolve, reject) => {
    let buf = "";
    sim.stdout.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) resolve(JSON.parse(buf.split("\n")[0]));
    });
    sim.on("exit", (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { ready, cpuSeconds: () => procCpuSeconds(`/proc/${sim.pid}/stat`), stop: () => sim.kill("SIGINT") };
}

/** A CPU profile of this process's main thread from now (BENCH_ENGINE_PROFILE=file.cpuprofile: the engine's sync only). */
async function startProfiler() {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return { stop: async () => (await session.post("Profiler.stop")).profile };
}

/** CPU seconds of each of this process's threads, by thread id (Linux /proc; Node 20 names them all "node"). */
function threadCpu() {
  const threads = new Map();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      threads.set(tid, procCpuSeconds(`/proc/self/task/${tid}/stat`));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads;
}

/** utime + stime of a process or thread, in seconds (Linux /proc; clock ticks of 1/100 s). */
function procCpuSeconds(statFile) {
  const fields = readFileSync(statFile, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function scenario(users, latency, alone) {
  const engine = await import("../packages/engine/dist/index.js");
  const { loadDeclarations } = await import("../packages/codegen/dist/index.js");
  const { Agent, request } = await import("undici");
  const declarations = loadDeclarations(join(root, "tables"));
  const { ready, cpuSeconds: simulatorCpu, stop } = await startSimulator(users, latency);
  // A failed scenario exits with its error; its simulator must not outlive it.
  process.once("exit", stop);
  const dir = mkdtempSync(join(tmpdir(), "kaivo-bench-"));
  const configFor = (path) =>
    engine.configFromValues(
      {
        tenantId: ready.tenantId,
        clientId: ready.clientId,
        userId: ready.userId,
        graph: { baseUrl: ready.graphBaseUrl, loginUrl: ready.loginUrl, caFile: ready.caFile, resourceUnitsPer10s: 1_000_000, maxConcurrency: 16 },
        tables: Object.fromEntries(declarations.map((d) => [d.name, {}])),
        warehouse: { type: "duckdb", path },
      },
      dir,
      {},
      declarations,
    );
  // One instant for the floor's cursor and the engine's clock: the same audit query, so the simulator
  // answers the engine from the pages the floor's first pass rendered.
  const benchNow = new Date();
  const sync = async (path, tables, record) => {
    const config = configFor(path);
    // Pacing off on both sides (the simulator does not throttle): this measures the engine's own cost.
    const unpaced = Object.fromEntries(engine.THROTTLE_CLASSES.map((c) => [c, { limit: 1_000_000, windowMs: 1_000 }]));
    const graph = engine.connectGraph(config, ready.clientSecret, { rateLimits: unpaced });
    const opened = await engine.openDestination(config);
    const destination = record ? recordingCommits(opened, record) : opened;
    const started = performance.now();
    const timeline = {};
    const onEvent = (e) => {
      const t = ((performance.now() - started) / 1000).toFixed(1);
      if (e.type === "table.started") (timeline[e.table] ??= {}).start = t;
      if (e.type === "page.fetched") (timeline[e.table] ??= {}).lastPage = t;
      if (e.type === "table.finished") (timeline[e.summary.table] ??= {}).finished = t;
    };
    const summary = await engine.runSync({ config, declarations, graph, destination, now: () => benchNow, ...(process.env.BENCH_TIMELINE ? { onEvent } : {}), ...(tables ? { tables } : {}) });
    if (process.env.BENCH_TIMELINE) console.error(`${tables ?? "all tables"}: closing the warehouse at ${((performance.now() - started) / 1000).toFixed(1)} s; per table, seconds from the start:`, JSON.stringify(timeline));
    // Closing checkpoints the DuckDB file, which `kaivo run` waits for too.
    await opened.close();
    const seconds = (performance.now() - started) / 1000;
    await graph.close();
    if (process.env.BENCH_VERBOSE) console.error(summary.tables.map((t) => `${t.table} ${t.seconds}s ${t.requests}req`).join("\n"));
    if (!summary.ok) throw new Error(JSON.stringify(summary.tables.filter((t) => t.status !== "succeeded")));
    return { seconds, summary };
  };

  // The floor: same first requests, nextLinks followed, bodies parsed and discarded; tables concurrently.
  const ca = readFileSync(ready.caFile, "utf8");
  const dispatcher = new Agent({ connect: { ca }, connections: 16 });
  const token = await (async () => {
    const body = new URLSearchParams({ client_id: ready.clientId, client_secret: ready.clientSecret, grant_type: "client_credentials", scope: `${new URL(ready.graphBaseUrl).origin}/.default` });
    const res = await request(`${ready.authorityUrl}/oauth2/v2.0/token`, { method: "POST", dispatcher, body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    return (await res.body.json()).access_token;
  })();
  const config = configFor(join(dir, "unused.duckdb"));
  const plans = engine.selectPlans(declarations, config, undefined);
  const floor = async () => {
  const floorStarted = performance.now();
  await Promise.all(
    plans.map(async (plan) => {
      const mode = plan.declaration.sync.mode;
      const connection = { tenantId: ready.tenantId, userId: ready.userId };
      // The requests the engine's first run makes (for a list-based initial round: $deltatoken=latest, then the list).
      const initial = mode === "delta" ? engine.initialRoundRequests(plan, connection) : undefined;
      const round = mode === "cursor" ? { kind: "cursor", since: engine.cursorRoundSince(plan, null, benchNow) } : { kind: "list" };
      const firsts = initial ? [...initial.latestLink, ...initial.pages] : engine.firstRequests(plan, round, connection);
      for (const first of firsts) {
        let url = `${ready.graphBaseUrl}${first.path}${Object.keys(first.query).length ? `?${engine.encodeQuery(first.query)}` : ""}`;
        let method = first.method;
        while (url) {
          const res = await request(url, { method, dispatcher, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(first.body && method === "POST" ? { body: JSON.stringify(first.body) } : {}) });
          const page = JSON.parse(await res.body.text());
          url = page["@odata.nextLink"];
          method = "GET";
        }
      }
    }),
  );
  return (performance.now() - floorStarted) / 1000;
  };
  // The first pass also warms the simulator's caches, so the engine does not pay for a cold simulator.
  const floorBefore = await floor();
  // The floor's pages are garbage now; the peak from here on is the engine's (Linux: 5 resets VmHWM).
  globalThis.gc?.();
  writeFileSync("/proc/self/clear_refs", "5");
  // Threads end during the sync (DuckDB's and the HTTP worker's when the destination closes): each one's last reading counts.
  const threadsBefore = threadCpu();
  const cpuBefore = { engine: process.cpuUsage(), simulator: simulatorCpu() };
  const profiler = process.env.BENCH_ENGINE_PROFILE ? await startProfiler() : undefined;
  // The V8 heap's part of the peak: the rest of RSS is DuckDB, buffers and code.
  let peakHeap = 0;
  // The sample with the most RSS, and what V8 and Node's buffers held at that moment (the rest: DuckDB, code, malloc).
  let atPeak = { rss: 0, heapTotal: 0, arrayBuffers: 0 };
  const threadsSeen = new Map();
  const sampleThreads = () => threadCpu().forEach((seconds, tid) => threadsSeen.set(tid, seconds));
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    peakHeap = Math.max(peakHeap, memory.heapTotal);
    if (memory.rss > atPeak.rss) atPeak = memory;
    sampleThreads();
  }, 100);
  // What the heap holds, as opposed to what V8 has reserved: its size just after each full GC.
  let peakLiveHeap = 0;
  const gcObserver = new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const commits = latency === 0 && !process.env.BENCH_NO_REPLAY ? { folder: join(dir, "replay"), requests: [] } : undefined;
  const { seconds: engineSeconds, summary } = await sync(join(dir, "all.duckdb"), undefined, commits);
  clearInterval(sampler);
  sampleThreads();
  gcObserver.disconnect();
  if (profiler) writeFileSync(process.env.BENCH_ENGINE_PROFILE, JSON.stringify(await profiler.stop()));
  const engineCpu = process.cpuUsage(cpuBefore.engine);
  const threadSeconds = [...threadsSeen].map(([tid, seconds]) => ({ main: tid === String(process.pid), seconds: seconds - (threadsBefore.get(tid) ?? 0) }));
  const cpu = {
    engine: (engineCpu.user + engineCpu.system) / 1e6,
    mainThread: threadSeconds.find((t) => t.main).seconds,
    simulator: simulatorCpu() - cpuBefore.simulator,
    // Which thread is which can only be told by its share: the DuckDB worker's thread runs DuckDB's statements, libuv's pool the file writes.
    otherThreads: threadSeconds.filter((t) => !t.main).map((t) => t.seconds).sort((a, b) => b - a),
  };
  const rss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
  const rows = summary.tables.reduce((n, t) => n + t.inserted + t.updated, 0);
  const requests = summary.tables.reduce((n, t) => n + t.requests, 0);

  const floorSeconds = Math.min(floorBefore, await floor());
  let replay;
  if (commits) {
    const targets = plans.flatMap((p) => [p.target, ...p.relations.map((r) => r.target)]);
    writeFileSync(join(commits.folder, "commits.json"), JSON.stringify({ targets, requests: commits.requests }));
    replay = await child(["--replay", commits.folder]);
    if (process.env.BENCH_KEEP_COMMITS) renameSync(commits.folder, process.env.BENCH_KEEP_COMMITS);
  }

  let aloneTimes;
  if (alone) {
    aloneTimes = {};
    for (const plan of plans) aloneTimes[plan.target.name] = (await sync(join(dir, `${plan.target.name}.duckdb`), [plan.target.name])).seconds;
  }
  await dispatcher.close();
  stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ engine: engineSeconds, floor: floorSeconds, rows, requests, rss, peakHeap, peakLiveHeap, atPeak, cpu, alone: aloneTimes, replay }));
  process.exit(0);
}

/** The destination, keeping each commit request with hard links to its staged files (the engine removes them once committed). */
function recordingCommits(destination, { folder, requests }) {
  mkdirSync(folder);
  let files = 0;
  /** Keeps a staged file in the folder; returns its name there, so that the folder can move. */
  const keep = (file) => {
    const name = `${files++}.ndjson`;
    try {
      linkSync(file, join(folder, name));
    } catch {
      copyFileSync(file, join(folder, name)); // another file system
    }
    return name;
  };
  return new Proxy(destination, {
    get(target, property) {
      if (property === "commit") {
        return (request) => {
          requests.push({ ...request, writes: request.writes.map((w) => ({ ...w, files: w.files.map(keep) })) });
          return target.commit(request);
        };
      }
      const value = target[property];
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The recorded commits (commits.json in `folder`), in order, into a fresh DuckDB file, in a fresh
 * process: seconds (to the file closed), CPU seconds, and the process's peak RSS.
 */
async function replayCommits(folder) {
  const { DuckDbDestination } = await import("../packages/engine/dist/index.js");
  const { targets, requests } = JSON.parse(readFileSync(join(folder, "commits.json"), "utf8"));
  const started = performance.now();
  rmSync(join(folder, "replay.duckdb"), { force: true });
  rmSync(join(folder, "replay.duckdb.wal"), { force: true });
  const destination = await DuckDbDestination.open({ path: join(folder, "replay.duckdb") });
  await destination.prepare(targets);
  for (const request of requests) await destination.commit({ ...request, writes: request.writes.map((w) => ({ ...w, files: w.files.map((f) => join(folder, f)) })) });
  await destination.close();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  const rss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
  console.log(JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, rss, commits: requests.length }));
}
