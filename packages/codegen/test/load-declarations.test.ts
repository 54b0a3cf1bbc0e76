import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { DeclarationError, loadDeclarations } from "../src/index.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "invalid-tables");

function problemsIn(dir: string): Array<[string, string, string]> {
  try {
    loadDeclarations(dir);
  } catch (error) {
    if (error instanceof DeclarationError) return error.problems.map((p) => [basename(p.file), p.pointer, p.message]);
    throw error;
  }
  throw new Error("expected loadDeclarations to fail");
}

describe("loadDeclarations", () => {
  test("reports every broken declaration at once, each with file, JSON pointer and an actionable sentence", () => {
    // One fixture per rule; array_of_arrays_json.json is the valid JSON fallback and must not appear.
    expect(problemsIn(fixtures)).toStrictEqual([
      ["Bad-Name.json", "/name", 'must match pattern "^[a-z][a-z0-9_]{0,62}$" (lower snake_case, starting with a letter, at most 63 characters)'],
      ["array_of_arrays.json", "/schema/properties/matrix", 'is an array of arrays, which BigQuery cannot store; mark the field "x-kaivo-as": "json"'],
      ["bad_column_name.json", "/schema/properties/partitionTime", 'maps to column "_PARTITION_TIME", which starts with _PARTITION, a prefix BigQuery reserves; set "x-kaivo-column" to a valid name'],
      ["bad_column_name.json", "/schema/properties/2faMethod", 'maps to column "2fa_method", which must contain only letters, digits and underscores and start with a letter or underscore; set "x-kaivo-column" to a valid name'],
      ["bad_field_schemas.json", "/schema/properties/displayName/x-kaivo-as", 'must be "json"'],
      ["bad_field_schemas.json", "/schema/properties/displayName/x-kaivo-column", "must be string"],
      ["bad_field_schemas.json", "/schema/properties/hiredOn/type", 'must be one of "string", "number", "integer", "boolean", "object", "array", "null"'],
      ["bad_field_schemas.json", "/schema/properties/licenses/items/properties/skuId/type", 'must be one of "string", "number", "integer", "boolean", "object", "array", "null"'],
      ["bad_field_schemas.json", "/schema/properties/nothing", "must be object"],
      ["bad_field_schemas.json", "/schema/properties/startedAt", 'has an unknown property "fromat"; check its spelling against declaration.schema.json'],
      ["bad_field_schemas.json", "/schema/properties/badge", 'has an unknown property "x-kaivo-colum"; check its spelling against declaration.schema.json'],
      ["bad_field_schemas.json", "/schema/properties/manager", 'uses "$ref", which Kaivo does not resolve into columns: describe the field\'s type and properties here, or keep it whole as JSON ("type": "object", "x-kaivo-as": "json")'],
      ["body_on_get.json", "/source/body", 'is set, but only a POST source sends a body; remove it or set "method": "POST"'],
      ["cursor_not_timestamp.json", "/sync/field", 'names "displayName", which is not a top-level timestamp ("type": "string", "format": "date-time") of schema; a cursor must be a timestamp'],
      ["delta_keyed_elsewhere.json", "/primaryKey", 'is ["securityIdentifier"]; a delta table\'s key must be ["id"], since Graph reports a removed object by its id alone'],
      ["delta_without_path.json", "/source", 'has no "deltaPath", which sync mode "delta" needs'],
      ["format_on_number.json", "/schema/properties/seenAt/format", 'is "date-time", which makes a timestamp only of a string field; this one is typed ["integer","null"]'],
      ["format_on_number.json", "/schema/properties/history/items/properties/at/format", 'is "date-time", which makes a timestamp only of a string field; this one is typed "number"'],
      ["format_on_number.json", "/schema/properties/bornOn/format", 'is "date", which makes a date only of a string field; this one is typed "boolean"'],
      ["initial_round_without_delta.json", "/source/initialRound", 'is set but sync mode is "full_refresh"; only delta tables have an initial round'],
      ["key_not_in_schema.json", "/primaryKey/0", 'names "objectId", which is not a top-level property of schema'],
      ["missing_primary_key.json", "/", 'is missing the required property "primaryKey"'],
      ["not_json.json", "", "is not valid JSON: Expected double-quoted property name at line 2, column 1"],
      ["nullable_key.json", "/primaryKey/0", 'names "id", typed ["string","null"]; a key is never null, so it must be a string or number field without "null"'],
      ["nullable_key.json", "/schema/required/1", 'names "nope", which is not a property of schema'],
      ["path_with_query.json", "/source/path", 'is not a Graph path: "/" and then letters, digits, "/", ".", "_" or "-", with no query (Kaivo adds $select, $top and the cursor\'s $filter itself)'],
      ["relation_keyed_by_parent.json", "/primaryKey", 'is ["teamId"]; a relation table\'s key must be ["teamId","memberId"] (relation.parentKey, relation.memberKey): an edge is one parent and one member'],
      ["snake_case_collision.json", "/schema/properties/display_name", 'maps to column "display_name", which "displayName" also maps to; rename one with "x-kaivo-column"'],
      ["typo_in_source.json", "/source", 'is missing the required property "permission"'],
      ["typo_in_source.json", "/source", 'has an unknown property "permision"; check its spelling against declaration.schema.json'],
      ["typo_in_source.json", "/schema", 'has an unknown property "requierd"; check its spelling against declaration.schema.json'],
      ["unknown_sync_mode.json", "/sync", 'has an unknown sync mode "sometimes"; use "full_refresh", "delta" or "cursor"'],
      ["listed_teams.json", "/source/initialRound", 'is "list", but table "listed_team_members" takes its edges from members@delta, which only delta rounds carry; remove initialRound or use "delta"'],
      ["unknown_parent.json", "/relation/parent", 'names table "teams", which is not declared in tables/ (no declared table can be a parent: one syncs by delta, with delta initial rounds)'],
    ]);
  });

  test("the error message a user sees lists file, pointer and reason on one line each", () => {
    try {
      loadDeclarations(fixtures);
    } catch (error) {
      expect((error as DeclarationError).message).toContain(`${join(fixtures, "unknown_sync_mode.json")} at /sync: has an unknown sync mode "sometimes"`);
      expect((error as DeclarationError).exitCode).toBe(2);
      return;
    }
    throw new Error("expected a DeclarationError");
  });

  test("a missing tables folder is a declaration error, not a crash", () => {
    expect(problemsIn(join(fixtures, "does-not-exist"))[0]?.[2]).toMatch(/^cannot be read/);
  });
});
