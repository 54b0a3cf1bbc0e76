import type { TableDeclaration } from "@kaivo/codegen";
import { afterEach, describe, expect, test, vi } from "vitest";
import { compileRecordValidator, describeValidationError } from "../../src/sync/record-validator.js";

const devices: TableDeclaration = {
  name: "devices",
  description: "test",
  file: "tables/devices.json",
  source: { path: "/devices", permission: "Device.Read.All" },
  sync: { mode: "full_refresh" },
  primaryKey: ["id"],
  schema: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      registeredOn: { type: ["string", "null"], format: "date" },
      seenAt: { type: ["string", "null"], format: "date-time" },
      extra: { type: ["object", "null"], properties: { size: { type: "integer", format: "int32" } } },
    },
  },
};

afterEach(() => vi.restoreAllMocks());

describe("record validation", () => {
  test("date and date-time values are checked, as the DATE and TIMESTAMP columns they fill need", () => {
    const validate = compileRecordValidator(devices, ["id", "registeredOn", "seenAt"]);
    expect(validate({ id: "d1", registeredOn: "2024-02-29", seenAt: "2024-02-29T10:00:00.1234567Z" })).toBe(true);
    expect(validate({ id: "d1", registeredOn: "2023-02-29" })).toBe(false);
    expect(describeValidationError(validate)).toBe('/registeredOn must match format "date"');
    expect(validate({ id: "d1", registeredOn: "2024-02-29T00:00:00Z" })).toBe(false);
    expect(validate({ id: "d1", seenAt: "yesterday" })).toBe(false);
    expect(describeValidationError(validate)).toBe('/seenAt must match format "date-time"');
  });

  test("any other format is an annotation: accepted, and nothing printed", () => {
    const warn = vi.spyOn(console, "warn");
    const validate = compileRecordValidator(devices, ["id", "extra"]);
    expect(validate({ id: "not a uuid", extra: { size: 2 ** 40 } })).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });
});
