// The status that sums a job's parts up (the whole read model is run end to end in
// lib/batches/jobs.e2e.test.ts): the earliest stage while any part runs, else the worst ending.
import { describe, expect, it } from "vitest";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { jobStatus } from "./job-view";

const of = (...s: BatchStatus[]) => jobStatus(s.map((status) => ({ status })));

describe("jobStatus", () => {
  it("is LAUNCHING before any part exists", () => {
    expect(of()).toBe("LAUNCHING");
  });

  it("shows the earliest stage any running part is at, CANCELLING only when every running part is", () => {
    expect(of("COMPLETED", "IN_PROGRESS", "VALIDATING")).toBe("VALIDATING");
    expect(of("FINALIZING", "IN_PROGRESS")).toBe("IN_PROGRESS");
    expect(of("CANCELLING", "FINALIZING", "FAILED")).toBe("FINALIZING");
    expect(of("CANCELLING", "CANCELLED")).toBe("CANCELLING");
  });

  it("once every part ended, says the worst ending: failed, then expired, then cancelled", () => {
    expect(of("COMPLETED", "CANCELLED", "EXPIRED")).toBe("EXPIRED");
    expect(of("CANCELLED", "FAILED", "EXPIRED")).toBe("FAILED");
    expect(of("COMPLETED", "CANCELLED")).toBe("CANCELLED");
    expect(of("COMPLETED", "COMPLETED")).toBe("COMPLETED");
  });
});
