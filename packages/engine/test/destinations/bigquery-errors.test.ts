import { describe, expect, test } from "vitest";
import { isRetryable } from "../../src/destinations/bigquery/bigquery-errors.js";

describe("isRetryable (BigQuery)", () => {
  test.each([
    ["Could not serialize access to table due to concurrent update (injected fault)", true],
    ["Could not serialize access to table p:d.users due to concurrent update", true],
    ["Transaction is aborted due to concurrent update against table p:d.users", true],
    ["Syntax error: Unexpected keyword MERGE at [1:1]", false],
  ])("a 400 saying %j is retried: %s", (message, retried) => {
    expect(isRetryable({ code: 400, message, errors: [{ reason: "invalidQuery", message }] })).toBe(retried);
  });
});
