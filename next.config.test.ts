// next.config.mjs reads NEXT_DIST_DIR and ALLOWED_ORIGINS itself (Node loads it without lib/env.ts):
// for the same environment, what it gives Next is what lib/env.ts's settings() reads, defaults and
// stray spaces and commas included.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { NextConfig } from "next";
import { settings } from "@/lib/env";

const saved = { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR, ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The config as Node would load it under this environment (the module reads it once, when loaded). */
async function configUnder(env: Partial<Record<keyof typeof saved, string>>): Promise<NextConfig> {
  for (const k of Object.keys(saved)) delete process.env[k];
  Object.assign(process.env, env);
  vi.resetModules();
  return (await import("./next.config.mjs")).default;
}

describe("next.config.mjs", () => {
  it.each([
    ["unset", {}],
    ["empty", { NEXT_DIST_DIR: "", ALLOWED_ORIGINS: "" }],
    ["set", { NEXT_DIST_DIR: ".next-e2e", ALLOWED_ORIGINS: " tools.example.com,*.corp.example:8443 ,, " }],
  ])("reads the build folder and the allowed origins as lib/env.ts does (%s)", async (_name, env) => {
    const config = await configUnder(env);
    const s = settings();
    expect(config.distDir).toBe(s.NEXT_DIST_DIR);
    expect(config.experimental?.serverActions?.allowedOrigins).toEqual(s.ALLOWED_ORIGINS);
  });

  it("gives the values of the example above", async () => {
    const config = await configUnder({ NEXT_DIST_DIR: ".next-e2e", ALLOWED_ORIGINS: " tools.example.com,*.corp.example:8443 ,, " });
    expect(config.distDir).toBe(".next-e2e");
    expect(config.experimental?.serverActions?.allowedOrigins).toEqual(["tools.example.com", "*.corp.example:8443"]);
    expect((await configUnder({})).distDir).toBe(".next");
  });
});
