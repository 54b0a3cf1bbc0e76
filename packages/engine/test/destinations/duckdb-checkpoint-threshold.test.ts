import { describe, expect, test } from "vitest";
import { checkpointThreshold } from "../../src/destinations/duckdb/duckdb-connection.js";

describe("checkpointThreshold", () => {
  test("is a quarter of DuckDB's memory limit, in any unit DuckDB accepts", () => {
    expect(checkpointThreshold("256MB")).toBe("64MB");
    expect(checkpointThreshold("1GB")).toBe("250MB");
    expect(checkpointThreshold("2 GiB")).toBe("536MB");
    expect(checkpointThreshold("800000KB")).toBe("200MB");
  });

  test("never drops below 16MB, and falls back to the default limit's for a value it cannot read", () => {
    expect(checkpointThreshold("16MB")).toBe("16MB");
    expect(checkpointThreshold("80%")).toBe("64MB");
  });
});
