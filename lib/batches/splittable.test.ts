// When the launch form offers to split a file: only for a file over limits a split can meet (request
// count, bytes, several models where the provider takes one), never for a file that fits, one a
// split cannot fix (an endpoint the provider lacks, a model its endpoint refuses) or a provider
// whose API has no parts (Anthropic).
import { describe, expect, it } from "vitest";
import { profiles } from "@/lib/providers/profiles";
import type { ProviderLimits, ProviderProfile } from "@/lib/providers/profile";
import { splitCanFix } from "./splittable";

const EP = "/v1/chat/completions";
const MB = 1024 * 1024;

function acme(limits: Partial<ProviderLimits>, more: Partial<ProviderProfile> = {}): ProviderProfile {
  const p = profiles["openai-compatible"];
  return { ...p, label: "Acme", ...more, limits: { ...p.limits, ...limits } };
}

describe("splitCanFix", () => {
  it("is false for a file that fits: nothing to fix", () => {
    expect(splitCanFix(acme({ maxRequests: 10 }), { endpoint: EP, requestCount: 10, models: ["m1"] })).toBe(false);
  });

  it("is true for too many requests or too many bytes", () => {
    expect(splitCanFix(acme({ maxRequests: 10 }), { endpoint: EP, requestCount: 11, models: ["m1"] })).toBe(true);
    expect(splitCanFix(acme({ maxFileBytes: MB }), { endpoint: EP, requestCount: 5, bytes: 2 * MB, models: ["m1"] })).toBe(true);
  });

  it("is true for several models where the provider takes one per batch, and the parts keep to one each", () => {
    const one = acme({ oneModelPerBatch: true });
    expect(splitCanFix(one, { endpoint: EP, requestCount: 4, models: ["m1", "m2"] })).toBe(true);
    expect(splitCanFix(acme({ oneModelPerBatch: false, maxRequests: 1 }), { endpoint: EP, requestCount: 4, models: ["m1", "m2"] })).toBe(true);
  });

  it("is false when the endpoint is not offered: no part would be accepted", () => {
    expect(splitCanFix(acme({ maxRequests: 1 }), { endpoint: "/v1/moderations-nope", requestCount: 4, models: ["m1"] })).toBe(false);
  });

  it("is false when a model is refused by the endpoint's own rule, however the file is cut", () => {
    const p = acme({ maxRequests: 1 }, { endpointRules: { [EP]: { models: ["m1"] } } });
    expect(splitCanFix(p, { endpoint: EP, requestCount: 4, models: ["m1", "m2"] })).toBe(false);
    expect(splitCanFix(p, { endpoint: EP, requestCount: 4, models: ["m1"] })).toBe(true);
  });

  it("is false on Anthropic's Message Batches, which have no parts", () => {
    const p = profiles.anthropic;
    expect(splitCanFix(p, { endpoint: p.endpoints[0], requestCount: p.limits.maxRequests + 1, models: ["claude"] })).toBe(false);
  });
});
