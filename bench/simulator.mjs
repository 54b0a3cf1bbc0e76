// Graph simulator throughput: users pages of 999 at 100k and 1M users, and the simulator's peak RSS.
// The simulator runs in a child process so the client's JSON parsing does not compete with it and
// its RSS is its own. Build first: cd /work/main && npx tsc -b packages/simulator
// Run: node bench/simulator.mjs   (BENCH_SIZES=100000 for one size; BENCH_RESPONSE_CACHE_MB=0 for no cache)
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";

const SELECT =
  "$select=id,displayName,userPrincipalName,accountEnabled,createdDateTime,userType,mail,department,jobTitle,assignedLicenses,onPremisesSyncEnabled";

if (process.argv[2] === "--serve") {
  // Child: start the simulator, report its URLs, answer RSS queries.
  const { startGraphSimulator } = await import("../packages/simulator/dist/index.js");
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  setInterval(sample, 25).unref();
  const sim = await startGraphSimulator({ users: Number(process.argv[3]), seed: 7, throttling: false, responseCacheMb: Number(process.argv[4]) });
  sample();
  const { graphBaseUrl, authorityUrl, clientId, clientSecret, caPem } = sim;
  process.send({ type: "ready", graphBaseUrl, authorityUrl, clientId, clientSecret, caPem });
  process.on("message", async (msg) => {
    if (msg === "cpu") {
      const u = process.cpuUsage();
      process.send({ type: "cpu", micros: u.user + u.system });
    } else if (msg === "rss") {
      sample();
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
      process.send({ type: "rss", peak, hwm: hwm ? Number(hwm[1]) * 1024 : peak });
    } else if (msg === "stop") {
      await sim.close();
      process.exit(0);
    }
  });
} else {
  await main();
}

function startChild(users, cacheMb) {
  const execArgv = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.BENCH_PROFILE] : [];
  const child = fork(fileURLToPath(import.meta.url), ["--serve", String(users), String(cacheMb)], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
  const next = (type) => new Promise((resolve) => {
    const on = (m) => { if (m.type === type) { child.off("message", on); resolve(m); } };
    child.on("message", on);
  });
  return { child, next };
}

async function token(sim, dispatcher) {
  const res = await request(`${sim.authorityUrl}/oauth2/v2.0/token`, {
    method: "POST",
    dispatcher,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, scope: "https://graph.microsoft.com/.default", grant_type: "client_credentials" }).toString(),
  });
  return (await res.body.json()).access_token;
}

/** Follows nextLinks from `first` for at most `maxPages` pages. */
async function crawl(dispatcher, accessToken, first, maxPages) {
  let url = first;
  let pages = 0, objects = 0, bytes = 0;
  const t0 = performance.now();
  while (url && pages < maxPages) {
    const res = await request(url, { dispatcher, headers: { authorization: `Bearer ${accessToken}` } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${text.slice(0, 300)}`);
    bytes += Buffer.byteLength(text);
    const page = JSON.parse(text);
    objects += page.value.length;
    pages += 1;
    url = page["@odata.nextLink"];
  }
  return { pages, objects, bytes, seconds: (performance.now() - t0) / 1000 };
}

function report(label, r) {
  console.log(
    `${label.padEnd(48)} ${String(r.pages).padStart(5)} pages ${String(r.objects).padStart(8)} obj ` +
      `${(r.pages / r.seconds).toFixed(1).padStart(7)} pages/s ${(r.bytes / 1e6 / r.seconds).toFixed(1).padStart(6)} MB/s ` +
      `${(r.objects / r.seconds / 1000).toFixed(1).padStart(6)}k obj/s | simulator CPU ${(r.cpuMs / r.pages).toFixed(1)} ms/page`,
  );
}

/** Runs a crawl and adds the simulator process's CPU time spent on it (load-independent cost). */
async function measured(next, child, dispatcher, accessToken, first, maxPages) {
  child.send("cpu");
  const before = (await next("cpu")).micros;
  const result = await crawl(dispatcher, accessToken, first, maxPages);
  child.send("cpu");
  const after = (await next("cpu")).micros;
  return { ...result, cpuMs: (after - before) / 1000 };
}

async function main() {
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : [100_000, 1_000_000];
  const cacheMb = Number(process.env.BENCH_RESPONSE_CACHE_MB ?? 1024);
  console.log(`response cache: ${cacheMb} MiB (BENCH_RESPONSE_CACHE_MB); each request is crawled cold, then again warm`);
  for (const users of sizes) {
    const { child, next } = startChild(users, cacheMb);
    const sim = await next("ready");
    const dispatcher = new Agent({ connect: { ca: sim.caPem } });
    const accessToken = await token(sim, dispatcher);
    const run = (first, maxPages) => measured(next, child, dispatcher, accessToken, first, maxPages);
    const crawls = [
      ["/users $top=999 (default props)", `${sim.graphBaseUrl}/users?$top=999`, Math.ceil(users / 999) + 1],
      ["/users $top=999 (11 selected)", `${sim.graphBaseUrl}/users?${SELECT}&$top=999`, Math.ceil(users / 999) + 1],
      ["/users signInActivity $top=500", `${sim.graphBaseUrl}/users?$select=id,signInActivity&$top=500`, Math.ceil(users / 500) + 1],
      ["/users/delta initial (11 selected)", `${sim.graphBaseUrl}/users/delta?${SELECT}`, Math.ceil(users / 200) + 1],
    ];
    // The response cache replays identical requests only: each crawl is cold the first time.
    for (const [label, first, pages] of crawls) report(`${users} users: ${label}, cold`, await run(first, pages));
    for (const [label, first, pages] of crawls) report(`${users} users: ${label}, warm`, await run(first, pages));
    child.send("rss");
    const rss = await next("rss");
    console.log(`${users} users: simulator peak RSS ${(rss.hwm / 1024 / 1024).toFixed(0)} MB`);
    child.send("stop");
    await new Promise((r) => child.once("exit", r));
    await dispatcher.close();
  }
}
