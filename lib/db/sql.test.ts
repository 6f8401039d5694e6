import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/test/db";
import type { DbHandle } from "./client";
import { sql } from "./sql";
import { Prisma } from "@/lib/generated/prisma/client";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

describe("sql(prisma): the raw driver path", () => {
  it("binds parameters and gives the same types on PGlite and PostgreSQL", async () => {
    const db = sql(h.prisma);
    const evil = `'); DROP TABLE "User"; --`;
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT $1::text AS s, $2::int AS i, 9007199254740993::int8 AS huge, 42::int8 AS big, true AS b, '{"a":1}'::jsonb AS j, $3::text[] AS arr`,
      [evil, 7, ["x", null, 'q"uote']],
    );
    expect(row).toEqual({ s: evil, i: 7, huge: BigInt("9007199254740993"), big: 42, b: true, j: { a: 1 }, arr: ["x", null, 'q"uote'] });
    expect(await h.prisma.user.count()).toBeGreaterThanOrEqual(0);
  });

  it("runs Prisma.sql fragments and counts affected rows", async () => {
    const db = sql(h.prisma);
    const team = await h.prisma.team.create({ data: { name: "raw" } });
    expect(await db.exec(Prisma.sql`UPDATE "Team" SET "name" = ${"renamed"} WHERE "id" = ${team.id}`)).toBe(1);
    expect(await db.query<{ name: string }>(Prisma.sql`SELECT "name" FROM "Team" WHERE "id" = ${team.id}`)).toEqual([{ name: "renamed" }]);
  });

  it("gives a SELECT as the database's CSV, its values written in as literals that cannot break out", async () => {
    const db = sql(h.prisma);
    const evil = `'); DROP TABLE "User"; --`;
    const csv = await db.copyCsv(
      Prisma.sql`SELECT ${evil}::text, ${"back\\slash \\' quote"}::text, ${-7}::int, ${2n ** 60n}::int8, ${true}, ${null}::text, ${"a,b\nc"}::text`,
    );
    expect(csv.toString("utf8")).toBe(`"'); DROP TABLE ""User""; --",back\\slash \\' quote,-7,${2n ** 60n},t,,"a,b\nc"\n`);
    expect(await h.prisma.user.count()).toBeGreaterThanOrEqual(0);
    // Nothing but plain values: an object is refused rather than written as "[object Object]".
    await expect(db.copyCsv(Prisma.sql`SELECT ${{ a: 1 }}::text`)).rejects.toThrow(/cannot write/);
    expect(await db.copyCsv(Prisma.sql`SELECT 1 WHERE false`)).toHaveLength(0);
  });

  it("refuses a client it does not know", () => {
    expect(() => sql({})).toThrow(/openDatabase/);
  });
});
