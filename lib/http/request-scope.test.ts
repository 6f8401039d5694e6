import { describe, expect, it } from "vitest";
import { requestScope, withRequestScope } from "./request-scope";

describe("requestScope", () => {
  it("is empty outside a scope", () => {
    expect(requestScope()).toEqual({});
  });

  it("follows the work across awaits, and each concurrent request keeps its own", async () => {
    const seen = await Promise.all(
      ["a", "b"].map((id) =>
        withRequestScope({ token: { id, name: `token ${id}` } }, async () => {
          await new Promise((r) => setTimeout(r, id === "a" ? 20 : 5));
          return requestScope().token?.id;
        }),
      ),
    );
    expect(seen).toEqual(["a", "b"]);
    expect(requestScope()).toEqual({});
  });
});
