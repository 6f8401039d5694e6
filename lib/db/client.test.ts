import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settings } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import type { DbHandle } from "./client";
import { hasLz4, keepRowsWhole, preferLz4 } from "./compression";
import { sql } from "./sql";

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

  it("stores the long texts with lz4 where the server has it, and keeps the default where it does not", async () => {
    const db = sql(h.prisma);
    const lz4 = await hasLz4(db);
    const methods = await db.query<{ table: string; column: string; method: string }>(
      `SELECT c.relname AS "table", a.attname AS "column", a.attcompression::text AS "method"
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relname IN ('Request', 'Result', 'ResultSearch') AND a.attname IN ('prompt', 'body', 'source', 'content', 'reasoningContent', 'raw', 'doc')`,
    );
    expect(methods).toHaveLength(7);
    // PGlite is built without lz4 (Debian's PostgreSQL, the one CI runs, with it).
    if (h.kind === "pglite") expect(lz4).toBe(false);
    for (const m of methods) expect(m.method, `${m.table}.${m.column}`).toBe(lz4 ? "l" : "");
    // Set once: opening the database again changes nothing.
    expect(await preferLz4(db)).toEqual([]);
    if (lz4) {
      const file = await h.prisma.inputFile.create({ data: { team: { create: { name: "lz4" } }, name: "f.jsonl", format: "jsonl", endpoint: "/v1/chat/completions", status: "valid", bytes: 1n, lineCount: 1, requestCount: 1 } });
      const prompt = "a long prompt ".repeat(1000);
      await h.prisma.request.create({ data: { fileId: file.id, line: 1, customId: "r1", prompt, body: { messages: [{ role: "user", content: prompt }] } } });
      const [stored] = await db.query<{ method: string }>(`SELECT pg_column_compression("prompt") AS "method" FROM "Request" WHERE "fileId" = $1`, [file.id]);
      expect(stored.method).toBe("lz4");
    }
  });

  it("keeps a request whole up to a page where there is no lz4, with a small ANALYZE sample, and compresses where there is", async () => {
    const db = sql(h.prisma);
    const lz4 = await hasLz4(db);
    const [table] = await db.query<{ options: string[] | null; targets: number[] }>(
      `SELECT c.reloptions AS "options", array(SELECT a.attstattarget::int FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS "targets"
       FROM pg_class c WHERE c.oid = '"Request"'::regclass`,
    );
    if (lz4) {
      expect(table.options).toBeNull();
      expect(await keepRowsWhole(db)).toEqual([]);
      return;
    }
    expect(table.options).toEqual(["toast_tuple_target=8160"]);
    expect(new Set(table.targets)).toEqual(new Set([10]));
    expect(await keepRowsWhole(db)).toEqual([]);
    // A 6 KB request is stored as it came (no compression); a 40 KB one still is compressed.
    const file = await h.prisma.inputFile.create({ data: { team: { create: { name: "whole" } }, name: "f.jsonl", format: "jsonl", endpoint: "/v1/chat/completions", status: "valid", bytes: 1n, lineCount: 2, requestCount: 2 } });
    for (const [customId, n] of [["short", 200], ["long", 1400]] as const) {
      const prompt = "a long prompt ".repeat(n);
      await h.prisma.request.create({ data: { fileId: file.id, line: customId === "short" ? 1 : 2, customId, prompt, body: { messages: [{ role: "user", content: prompt }] } } });
    }
    const stored = await db.query<{ customId: string; method: string | null }>(
      `SELECT "customId", pg_column_compression("prompt") AS "method" FROM "Request" WHERE "fileId" = $1 ORDER BY "line"`,
      [file.id],
    );
    expect(stored).toEqual([{ customId: "short", method: null }, { customId: "long", method: "pglz" }]);
  });

  it.runIf(settings().TEST_DATABASE_URL)("gives up after 2 s rather than wait behind another connection's long read of a table, and sets it on the next try", async () => {
    const db = sql(h.prisma);
    await db.exec(`ALTER TABLE "Result" ALTER COLUMN "content" SET COMPRESSION pglz`);
    const reader = new pg.Client({ connectionString: h.url });
    await reader.connect();
    try {
      // An export in another instance: a transaction reading the table.
      await reader.query(`BEGIN`);
      await reader.query(`SELECT count(*) FROM "Result"`);
      const at = Date.now();
      await expect(preferLz4(db)).rejects.toThrow(/lock timeout/);
      expect(Date.now() - at).toBeLessThan(10_000);
      await reader.query(`COMMIT`);
      expect(await preferLz4(db)).toEqual(["Result"]);
    } finally {
      await reader.end();
    }
  });
});
