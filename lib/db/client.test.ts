import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/test/db";
import type { DbHandle } from "./client";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

describe("database", () => {
  it("is migrated and omits secrets by default", async () => {
    const user = await h.prisma.user.create({ data: { email: "a@example.com", name: "A", passwordHash: "x" } });
    expect(user).not.toHaveProperty("passwordHash");
    const withHash = await h.prisma.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
    expect(withHash?.passwordHash).toBe("x");
  });
});
