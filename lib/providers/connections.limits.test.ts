// The effective profile of a Custom OpenAI-compatible connection: its stored limits over the
// profile's defaults, each edited bound checked at and just over it, and stored values that no
// longer parse falling back to the defaults with a log line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { profileOf, uploadLimitsFor } from "./profiles";
import { checkFileForProfile, checkLineForProfile, checkWindow } from "./checks";
import { acceptsWindow } from "./windows";
import { connectionLimitsSchema, effectiveProfile, LIMIT_BOUNDS, limitRows, limitsFromForm, parseStoredLimits } from "./connections.limits";
import { readConnectionLimits } from "./connections.limits.read";
import { captureLog, restoreLog } from "@/lib/test/log";

const KIND = "openai-compatible";
const MB = 1024 * 1024;
const base = profileOf(KIND);
const file = (f: Partial<{ endpoint: string; requestCount: number; bytes: number; models: string[] }>) => ({
  endpoint: "/v1/chat/completions",
  requestCount: 1,
  models: ["m"],
  ...f,
});

afterEach(() => vi.restoreAllMocks());

describe("effectiveProfile", () => {
  it("is the profile itself without limits, and for kinds that take none", () => {
    expect(effectiveProfile(KIND, null)).toBe(base);
    expect(effectiveProfile(KIND, {})).toBe(base);
    expect(effectiveProfile("bailian", { maxRequests: 5 })).toBe(profileOf("bailian"));
  });

  it("max requests: the edited value passes, one more is refused naming the connection and the limit", () => {
    const p = effectiveProfile(KIND, { maxRequests: 10 }, { name: "Acme" });
    expect(checkFileForProfile(p, file({ requestCount: 10 }))).toEqual([]);
    expect(checkFileForProfile(p, file({ requestCount: 11 })).map((x) => x.message)).toEqual([
      "The file has 11 requests, over Acme's limit of 10 per batch.",
    ]);
    expect(uploadLimitsFor(p).maxRequests).toBe(10);
  });

  it("max file size: at the limit passes, one byte over is refused", () => {
    const p = effectiveProfile(KIND, { maxFileBytes: 2 * MB }, { name: "Acme" });
    expect(checkFileForProfile(p, file({ bytes: 2 * MB }))).toEqual([]);
    expect(checkFileForProfile(p, file({ bytes: 2 * MB + 1 })).map((x) => x.message)).toEqual(["The file is 2.0 MB, over Acme's limit of 2.0 MB per file."]);
  });

  it("max line size and custom_id length: at the limit pass, one over is refused with the line", () => {
    const p = effectiveProfile(KIND, { maxLineBytes: 4096, maxCustomIdLength: 8 }, { name: "Acme" });
    expect(checkLineForProfile(p, { line: 3, customId: "12345678", bytes: 4096 })).toEqual([]);
    expect(checkLineForProfile(p, { line: 3, customId: "123456789", bytes: 4097 }).map((x) => x.message)).toEqual([
      "Line 3 is 0.0 MB, over Acme's limit of 0.0 MB per line.",
      "Line 3: custom_id is 9 characters, over Acme's limit of 8.",
    ]);
    expect(uploadLimitsFor(p)).toMatchObject({ maxLineBytes: 4096, maxCustomIdLength: 8 });
  });

  it("a smaller max file size alone lowers the line limit with it (never a line bigger than the file)", () => {
    expect(effectiveProfile(KIND, { maxFileBytes: 2 * MB }).limits.maxLineBytes).toBe(2 * MB);
    expect(connectionLimitsSchema(KIND).safeParse({ maxFileBytes: 2 * MB }).success).toBe(true);
  });

  it("one model per batch: a second model is refused once it is set", () => {
    expect(checkFileForProfile(effectiveProfile(KIND, {}), file({ models: ["a", "b"] }))).toEqual([]);
    const p = effectiveProfile(KIND, { oneModelPerBatch: true }, { name: "Acme" });
    expect(checkFileForProfile(p, file({ models: ["a"] }))).toEqual([]);
    expect(checkFileForProfile(p, file({ models: ["a", "b"] })).map((x) => x.message)).toEqual(["Acme takes one model per batch; this file uses 2 (a, b)."]);
  });

  it("allowed endpoints: only those kept are offered and accepted", () => {
    const p = effectiveProfile(KIND, { endpoints: ["/v1/chat/completions"] }, { name: "Acme" });
    expect(p.endpoints).toEqual(["/v1/chat/completions"]);
    expect(checkFileForProfile(p, file({}))).toEqual([]);
    expect(checkFileForProfile(p, file({ endpoint: "/v1/embeddings" }))[0]).toMatchObject({
      field: "endpoint",
      message: "Acme does not offer /v1/embeddings; it offers /v1/chat/completions.",
    });
  });

  it("completion windows: the edited bounds are accepted, an hour beyond either is not, and the form offers what fits", () => {
    const p = effectiveProfile(KIND, { windowMinHours: 48, windowMaxHours: 72 }, { name: "Acme" });
    expect(acceptsWindow(p, "48h")).toBe(true);
    expect(acceptsWindow(p, "72h")).toBe(true);
    expect(acceptsWindow(p, "3d")).toBe(true);
    expect(acceptsWindow(p, "47h")).toBe(false);
    expect(acceptsWindow(p, "73h")).toBe(false);
    expect(checkWindow(p, "24h")[0].message).toBe("Acme does not accept the completion window 24h; it accepts 48h (2d) to 72h (3d), in whole hours or days, e.g. 48h or 2d.");
    expect(p.completionWindows).toEqual(["48h", "72h"]);
    // The default stays first when it still fits.
    expect(effectiveProfile(KIND, { windowMaxHours: 168 }).completionWindows).toEqual(["24h", "1h", "12h", "48h", "72h", "7d"]);
  });
});

describe("the stored limits' schema (on write and on read)", () => {
  const schema = connectionLimitsSchema(KIND);
  const cases: [string, number, number][] = [
    ["maxRequests", LIMIT_BOUNDS.maxRequests.min, LIMIT_BOUNDS.maxRequests.max],
    ["maxFileBytes", LIMIT_BOUNDS.maxFileBytes.min, LIMIT_BOUNDS.maxFileBytes.max],
    ["maxCustomIdLength", LIMIT_BOUNDS.maxCustomIdLength.min, LIMIT_BOUNDS.maxCustomIdLength.max],
    ["windowMinHours", LIMIT_BOUNDS.windowHours.min, 336],
    ["windowMaxHours", 1, LIMIT_BOUNDS.windowHours.max],
  ];
  for (const [key, min, max] of cases) {
    it(`${key}: ${min} and ${max} pass, ${min - 1} and the bound + 1 are refused naming the field and the bound`, () => {
      expect(schema.safeParse({ [key]: min }).success).toBe(true);
      expect(schema.safeParse({ [key]: max }).success).toBe(true);
      const low = schema.safeParse({ [key]: min - 1 });
      expect(low.success).toBe(false);
      expect(low.error!.issues[0].path).toEqual([key]);
      expect(low.error!.issues[0].message).toMatch(new RegExp(`at least ${min.toLocaleString("en-US")}`));
    });
  }

  it("upper bounds name the field and the bound", () => {
    expect(schema.safeParse({ maxRequests: 1_000_001 }).error!.issues[0].message).toBe("Max requests must be at most 1,000,000.");
    expect(schema.safeParse({ windowMaxHours: 8761 }).error!.issues[0].message).toBe("Longest completion window must be at most 8,760 hours.");
    expect(schema.safeParse({ maxRequests: 2.5 }).error!.issues[0].message).toBe("Max requests must be a whole number.");
  });

  it("a line may not be longer than the file, nor the shortest window longer than the longest", () => {
    expect(schema.safeParse({ maxFileBytes: 2 * MB, maxLineBytes: 2 * MB }).success).toBe(true);
    expect(schema.safeParse({ maxFileBytes: 2 * MB, maxLineBytes: 2 * MB + 1 }).error!.issues[0]).toMatchObject({ path: ["maxLineBytes"] });
    expect(schema.safeParse({ windowMinHours: 48, windowMaxHours: 47 }).error!.issues[0].message).toBe(
      "The shortest completion window (48h) cannot be longer than the longest (47h).",
    );
  });

  it("refuses unknown keys and endpoints the profile does not have", () => {
    expect(schema.safeParse({ maxRequets: 5 }).success).toBe(false);
    expect(schema.safeParse({ endpoints: [] }).error!.issues[0].message).toBe("Allow at least one endpoint.");
    expect(schema.safeParse({ endpoints: ["/v1/images"] }).success).toBe(false);
  });
});

describe("reading stored limits", () => {
  it("parses a good value", () => {
    expect(parseStoredLimits(KIND, { maxRequests: 10 })).toEqual({ limits: { maxRequests: 10 } });
    expect(parseStoredLimits(KIND, null)).toEqual({ limits: null });
  });

  it("falls back to the defaults, with a log line naming the connection and the problem, when the stored JSON no longer parses", () => {
    const lines = captureLog("debug");
    try {
      for (const bad of [{ maxRequests: 0 }, { maxRequests: "ten" }, "not an object", [1, 2], { surprise: true }]) {
        expect(readConnectionLimits({ id: "conn_1", kind: KIND, limits: bad })).toBeNull();
      }
    } finally {
      restoreLog();
    }
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ level: "warn", event: "connection.limits_ignored", connectionId: "conn_1", kind: KIND, why: "maxRequests: Max requests must be at least 1." });
    // The profile then checks the defaults.
    expect(effectiveProfile(KIND, readConnectionLimits({ id: "conn_1", kind: KIND, limits: { maxRequests: -1 } })).limits.maxRequests).toBe(50_000);
  });

  it("ignores limits stored on a kind that takes none", () => {
    expect(parseStoredLimits("openai", { maxRequests: 10 })).toEqual({ limits: null });
  });
});

describe("the edit form's values", () => {
  const form = (v: Record<string, unknown>) => limitsFromForm(KIND, { connectionId: "c", ...v });

  it("turns MB into bytes and keeps only what differs from the defaults", () => {
    expect(form({ maxRequests: 10, maxFileMB: 1.5, maxLineMB: 0.5, maxCustomIdLength: 64, oneModelPerBatch: true })).toEqual({
      limits: { maxRequests: 10, maxFileBytes: 1.5 * MB, maxLineBytes: 0.5 * MB, maxCustomIdLength: 64, oneModelPerBatch: true },
    });
    expect(form({ maxRequests: 50_000, maxFileMB: 200, oneModelPerBatch: false, endpoints: base.endpoints, windowMinHours: 1, windowMaxHours: 336 })).toEqual({ limits: {} });
  });

  it("names the form field and the bound", () => {
    expect(form({ maxFileMB: 2000 }).fieldErrors).toEqual({ maxFileMB: "Max file size must be from 0.001 MB (1 KB) to 1,024 MB." });
    expect(form({ maxRequests: 0 }).fieldErrors).toEqual({ maxRequests: "Max requests must be at least 1." });
    expect(form({ maxFileMB: 1, maxLineMB: 2 }).fieldErrors).toEqual({ maxLineMB: "Max line size (2 MB) cannot be over the max file size (1 MB)." });
    expect(form({ endpoints: [] }).fieldErrors).toEqual({ endpoints: "Allow at least one endpoint." });
  });
});

describe("limitRows", () => {
  it("marks the values providers.md leaves unconfirmed", () => {
    const rows = limitRows(profileOf("groq"));
    const unsure = rows.filter((r) => r.uncertain).map((r) => r.label);
    expect(unsure).toEqual(["Max requests", "Max file size", "One model per batch"]);
    expect(limitRows(profileOf("moonshot")).filter((r) => r.uncertain).map((r) => r.label)).toEqual(["Max requests", "Completion windows"]);
    expect(limitRows(profileOf("bailian")).find((r) => r.label === "Free dry run")?.value).toBe("batch-test-model on /v1/chat/ds-test, at most 100 lines and 1 MB");
  });

  it("marks what the team set on a custom connection", () => {
    const rows = limitRows(effectiveProfile(KIND, { maxRequests: 10 }), { maxRequests: 10 });
    expect(rows[0]).toEqual({ label: "Max requests", value: "10", uncertain: false, custom: true });
  });
});
