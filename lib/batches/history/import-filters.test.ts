// The import page's list filters: which each profile takes, and how each value is checked.
import { describe, expect, it } from "vitest";
import { profileOf } from "@/lib/providers/profiles";
import { checkFilters, parseCompactDate, toCompactDate, userFilters } from "./import-filters";

const now = new Date("2026-11-22T09:00:00Z");

describe("import filters", () => {
  it("offers each profile its own filters, paging left out", () => {
    expect(userFilters(profileOf("bailian")).map((f) => f.key)).toEqual(["ds_name", "input_file_ids", "status", "create_after", "create_before"]);
    expect(userFilters(profileOf("doubleword")).map((f) => f.key)).toEqual(["search", "status", "created_after", "created_before"]);
    for (const kind of ["openai", "sandbox", "together", "groq", "moonshot"]) expect(userFilters(profileOf(kind))).toEqual([]);
  });

  it("reads yyyyMMddHHmmss as UTC and refuses dates that do not exist", () => {
    expect(parseCompactDate("20261122090000")?.toISOString()).toBe("2026-11-22T09:00:00.000Z");
    expect(toCompactDate(now)).toBe("20261122090000");
    for (const bad of ["20260230120000", "20261122250000", "2026112209000", "2026-11-22"]) expect(parseCompactDate(bad)).toBeUndefined();
  });

  it("trims, drops empty values, normalises comma lists, and names every problem by its field", () => {
    const bailian = profileOf("bailian");
    expect(checkFilters(bailian, { ds_name: " eval ", status: "completed , failed", create_after: "", input_file_ids: "a,,b" }, now)).toEqual({
      query: { ds_name: "eval", status: "completed,failed", input_file_ids: "a,b" },
      errors: {},
    });
    const { errors } = checkFilters(bailian, { create_after: "20261301000000", create_before: "20261001000000", ds_name: "x".repeat(101), search: "y" }, now);
    expect(errors).toEqual({
      create_after: 'create_after must be a date as yyyyMMddHHmmss (UTC), e.g. 20261122090000; "20261301000000" is not.',
      create_before: "Alibaba Bailian (DashScope) keeps only the last 30 days of batches: create_before must be after 20261023090000.",
      ds_name: "ds_name is at most 100 characters; this one has 101.",
      search: 'Alibaba Bailian (DashScope) does not take the filter "search"; it takes ds_name, input_file_ids, status, create_after, create_before.',
    });
  });

  it("checks Doubleword's ISO 8601 dates and single status", () => {
    const dw = profileOf("doubleword");
    expect(checkFilters(dw, { created_after: "2026-11-01", created_before: "2026-11-20T10:00:00Z", status: "completed" }, now).errors).toEqual({});
    expect(checkFilters(dw, { created_after: "20261101", status: "completed,failed" }, now).errors).toEqual({
      created_after: 'created_after must be an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z; "20261101" is not.',
      status: "Doubleword takes one status at a time.",
    });
  });
});
