import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.emulator.close();
});

describe("smoke", () => {
  it("creates a dataset, a table, loads and queries", async () => {
    const [dataset] = await fx.bq.createDataset("smoke");
    const [table] = await dataset.createTable("t", { schema: { fields: [{ name: "id", type: "STRING" }, { name: "n", type: "INTEGER" }] } });
    await fx.bq.query("INSERT INTO smoke.t (id, n) VALUES ('a', 1), ('b', 2)");
    const [rows] = await fx.bq.query("SELECT id, n FROM `kaivo-emulator.smoke.t` ORDER BY id");
    expect(rows).toEqual([{ id: "a", n: 1 }, { id: "b", n: 2 }]);
    expect(table.id).toBe("t");
  });
});
