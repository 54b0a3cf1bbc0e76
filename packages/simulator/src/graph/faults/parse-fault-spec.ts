import { FAULT_KINDS, type FaultKind, type FaultRule } from "./fault-rule.js";

const ALIASES: Record<string, FaultKind> = {
  "expired-token": "401",
  "token-expired": "401",
  "forbidden": "403",
  "denied": "403",
  "delta-expired": "deltaExpired",
  "deltaexpired": "deltaExpired",
  "throttle": "429",
  "unavailable": "503",
  "timeout": "504",
};

/**
 * Parses "429=0.1,503=0.02,reset=0.01,truncate=0.01" into rules. Each part is `kind=value[@endpoint]`:
 * value is a rate in [0, 1], or `xN` for the next N requests; for latency it is milliseconds
 * (`latency=250`, `latency=250ms`, optionally `:rate`, e.g. `latency=250:0.5`); for 429/503 a
 * Retry-After may follow a slash (`429=0.1/2.5`). Throws an Error naming the bad part.
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const rawPart of spec.split(",")) {
    const part = rawPart.trim();
    if (part === "") continue;
    const fail = (why: string): never => {
      throw new Error(`Invalid fault spec part "${part}": ${why}`);
    };
    const eq = part.indexOf("=");
    if (eq <= 0) fail(`expected kind=value, e.g. "429=0.1"`);
    const kindText = part.slice(0, eq).trim();
    const kind = (FAULT_KINDS as readonly string[]).includes(kindText) ? (kindText as FaultKind) : ALIASES[kindText.toLowerCase()];
    if (kind === undefined) fail(`unknown fault kind "${kindText}" (known: ${FAULT_KINDS.join(", ")})`);
    let value = part.slice(eq + 1).trim();
    const rule: FaultRule = { kind: kind as FaultKind };
    const at = value.indexOf("@");
    if (at >= 0) {
      const endpoint = value.slice(at + 1).trim().replace(/^\/+/, "").replace(/^v1\.0\//, "");
      if (endpoint === "") fail("empty endpoint after @");
      rule.endpoint = endpoint;
      value = value.slice(0, at).trim();
    }
    if (rule.kind === "latency") {
      const m = /^(\d+(?:\.\d+)?)(?:ms)?(?::(\S+))?$/.exec(value);
      if (!m) fail(`latency needs milliseconds, e.g. "latency=250" or "latency=250ms:0.5"`);
      rule.latencyMs = Number(m?.[1]);
      if (m?.[2] !== undefined) rule.rate = parseRate(m[2], fail);
      rules.push(rule);
      continue;
    }
    const slash = value.indexOf("/");
    if (slash >= 0) {
      if (rule.kind !== "429" && rule.kind !== "503") fail("a Retry-After (/seconds) is only allowed for 429 and 503");
      const retry = Number(value.slice(slash + 1));
      if (!Number.isFinite(retry) || retry < 0) fail(`Retry-After "${value.slice(slash + 1)}" is not a non-negative number of seconds`);
      rule.retryAfterSeconds = retry;
      value = value.slice(0, slash).trim();
    }
    const count = /^[x#](\d+)$/i.exec(value);
    if (count) rule.count = Number(count[1]);
    else rule.rate = parseRate(value, fail);
    rules.push(rule);
  }
  return rules;
}

function parseRate(text: string, fail: (why: string) => never): number {
  if (!/^\d*\.?\d+$/.test(text)) return fail(`"${text}" is not a rate between 0 and 1 (or xN for the next N requests)`);
  const rate = Number(text);
  if (rate < 0 || rate > 1) return fail(`rate ${text} is outside 0..1`);
  return rate;
}
