import { afterEach, describe, expect, it } from "vitest";
import { captureLog as capture, restoreLog } from "@/lib/test/log";
import { log } from "./log";

afterEach(restoreLog);

describe("log", () => {
  it("writes one JSON object a line, with time, level, event and the fields", () => {
    const lines = capture("info");
    log.info("batch.launched", { batchId: "b1", requests: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", event: "batch.launched", batchId: "b1", requests: 3 });
    expect(typeof lines[0].time).toBe("string");
  });

  it("drops lines below the level", () => {
    const lines = capture("warn");
    log.debug("x");
    log.info("y");
    log.warn("z");
    expect(lines.map((l) => l.event)).toEqual(["z"]);
  });

  it("keeps an error's name, message, code and status, and redacts credentials anywhere in the line", () => {
    const lines = capture("debug");
    const err = Object.assign(new Error("401 Incorrect API key provided: sk-proj-abcdefghijklmnop"), { status: 401, code: "invalid_api_key" });
    log.error("sync.failed", { batchId: "b1", err, note: "Authorization: Bearer zzzzzzzzzzzz" });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("abcdefghijklmnop");
    expect(text).not.toContain("zzzzzzzzzzzz");
    expect(lines[0]).toMatchObject({ level: "error", event: "sync.failed", error: { name: "Error", status: 401, code: "invalid_api_key" } });
    // A provider's error (it has a status) is explained by its message: no stack.
    expect((lines[0].error as Record<string, unknown>).stack).toBeUndefined();
  });

  it("still writes while a setting is wrong, so the start can say why it failed and exit", () => {
    process.env.ALLOWED_ORIGINS = "https://tools.example.com";
    try {
      const lines = capture();
      log.error("server.start_failed", { err: new Error("Invalid settings in the environment") });
      expect(lines).toMatchObject([{ level: "error", event: "server.start_failed", error: { message: "Invalid settings in the environment" } }]);
      log.debug("not.at.info");
      expect(lines).toHaveLength(1);
    } finally {
      delete process.env.ALLOWED_ORIGINS;
    }
  });
});

describe("errorFields", () => {
  it("keeps the stack of our own errors only: a system error is told by its code", async () => {
    const { errorFields } = await import("./log");
    const refused = new Error("Connection error.", { cause: Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }) });
    expect(errorFields(refused)).toMatchObject({ message: "Connection error.", code: "ECONNREFUSED" });
    expect(errorFields(refused).stack).toBeUndefined();
    expect(errorFields(new Error("a bug of ours")).stack).toMatch(/a bug of ours/);
  });
});
