import net from "node:net";
import { expect, test } from "vitest";
import { refusedConnections } from "../support/loopback-only.js";

test("the e2e guard refuses a connection outside 127.0.0.1 before anything is sent", () => {
  // A reserved name that never resolves; the guard throws before any lookup.
  expect(() => net.connect({ host: "kaivo-guard-check.invalid", port: 443 })).toThrow(/tests may only reach 127\.0\.0\.1/);
  expect(refusedConnections.splice(0)).toStrictEqual(["kaivo-guard-check.invalid"]);
});
