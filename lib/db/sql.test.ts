import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/test/db";
import type { DbHandle } from "./client";
import { PGlite } from "@electric-sql/pglite";
import { COPY_CSV_OPTIONS, copyField, CopyRows, pgliteSql, sql } from "./sql";
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

  it("reports a failed COPY with the database's own message, and goes on answering", async () => {
    const db = sql(h.prisma);
    await expect(db.copyCsv(Prisma.sql`SELECT 1 / ${0}::int`)).rejects.toThrow(/division by zero/);
    await expect(db.copyCsv(Prisma.sql`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/"NoSuchTable" does not exist/);
    expect((await db.copyCsv(Prisma.sql`SELECT ${"still here"}::text`)).toString()).toBe("still here\n");
  });

  it("never reads inside another caller's transaction", async () => {
    // A Prisma transaction writes a row, then rolls back. A COPY started while it is open must not
    // see the row: on PGlite (one session) it waits for the transaction to end, on PostgreSQL it
    // runs on another connection.
    const db = sql(h.prisma);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const tx = h.prisma
      .$transaction(async (t) => {
        await t.team.create({ data: { name: "uncommitted" } });
        written();
        await gate;
        throw new Error("roll back");
      })
      .catch((e: Error) => e.message);
    await wrote;
    const copy = db.copyCsv(Prisma.sql`SELECT count(*) FROM "Team" WHERE "name" = ${"uncommitted"}`);
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await tx).toBe("roll back");
    expect((await copy).toString()).toBe("0\n");
  });

  it("on PGlite, leaves no file behind in its in-memory /tmp, after a COPY that worked or one that failed", async () => {
    const pg = new PGlite();
    try {
      const db = pgliteSql(pg);
      expect((await db.copyCsv(Prisma.sql`SELECT ${"a"}::text, 1`)).toString()).toBe("a,1\n");
      await expect(db.copyCsv(Prisma.sql`SELECT 1 / ${0}::int`)).rejects.toThrow(/division by zero/);
      expect(pg.Module.FS.readdir("/tmp").filter((f: string) => !f.startsWith("."))).toEqual([]);
    } finally {
      await pg.close();
    }
  });

  it("runs a session on one connection: its TEMP table is seen by its COPY and statements, and a failure in it leaves the driver answering", async () => {
    const db = sql(h.prisma);
    const texts = ["plain", "", "delimiter \x02 and quote \x01", "line\nbreak\r\n", '"quoted", \\N \\. tab\t'];
    const rows = await db.session(async (s) => {
      await s.exec(`CREATE TEMP TABLE "session_test" ("n" int, "t" text, "j" jsonb)`);
      const copy = new CopyRows(await s.copyIn(`COPY "session_test" ("n", "t", "j")`, COPY_CSV_OPTIONS), 16);
      for (const [i, t] of texts.entries()) await copy.add(`${i}\x02${copyField(t)}\x02${JSON.stringify({ t })}\n`);
      await copy.add(`${texts.length}\x02${copyField(null)}\x02null\n`);
      expect(await copy.end()).toBe(texts.length + 1);
      const out = await s.query<{ t: string | null; j: unknown }>(`SELECT "t", "j" FROM "session_test" ORDER BY "n"`);
      await s.exec(`DROP TABLE "session_test"`);
      return out;
    });
    expect(rows).toEqual([...texts.map((t) => ({ t, j: { t } })), { t: null, j: null }]);
    // A statement failing inside a session (a COPY cut short, a bad statement) fails the session, and
    // the next statements, sessions or not, are answered.
    for (let i = 0; i < 5; i++) {
      await expect(
        db.session(async (s) => {
          await s.exec(`CREATE TEMP TABLE "session_fail" ("n" int)`);
          try {
            const copy = await s.copyIn(`COPY "session_fail" ("n")`, COPY_CSV_OPTIONS);
            await copy.write(Buffer.from("1\n"));
            await copy.abort(new Error("stop"));
            await s.exec(`SELECT 1 / 0`);
          } finally {
            // On PGlite, the one connection keeps a TEMP table until it is dropped.
            await s.exec(`DROP TABLE "session_fail"`);
          }
        }),
      ).rejects.toThrow(/division by zero/);
    }
    expect(await db.session((s) => s.query<{ n: number }>(`SELECT 2 AS n`))).toEqual([{ n: 2 }]);
    expect(await db.query<{ n: number }>(`SELECT 3 AS n`)).toEqual([{ n: 3 }]);
  });

  it("refuses a client it does not know", () => {
    expect(() => sql({})).toThrow(/openDatabase/);
  });
});
