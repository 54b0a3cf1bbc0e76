import { describe, expect, test } from "vitest";
import { displayWidth, renderTable } from "../src/render/table.js";

describe("renderTable", () => {
  test("columns line up by what a terminal shows: CJK characters take two columns, combining marks none", () => {
    const out = renderTable(["HOLDER", "TYPE"], [["Emma 李", "user"], ["Zoe\u0301 Lopez", "user"], ["Ægir", "group"]]);
    expect(out).toBe(["HOLDER     TYPE", "Emma 李    user", "Zoe\u0301 Lopez  user", "Ægir       group", ""].join("\n"));
  });

  test("control characters in a value are written out: line breaks and tabs keep the row on one line, ESC never reaches the terminal", () => {
    expect(renderTable(["V", "N"], [["a\nb\tc", "1"], ["\x1b[2Jx\x7f", "2"]])).toBe(["V             N", "a\\nb\\tc       1", "\\x1b[2Jx\\x7f  2", ""].join("\n"));
  });

  test("display widths", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("李小龍")).toBe(6);
    expect(displayWidth("한국")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("Siobhán Novák")).toBe(13);
  });
});
