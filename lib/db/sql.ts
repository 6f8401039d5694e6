// A small raw driver path beside Prisma, for the bulk and hot paths (storing requests, ingesting
// results, the results page, exports). Measured here, Prisma's client and its driver adapters spend
// most of a big insert or read in the client runtime and GC, not in PostgreSQL (5,000 rows of 1.3 KB:
// createMany 4.4 s, the driver's own multi-row insert 0.35 s), and on PostgreSQL they keep hundreds of
// MB after big inserts (prisma/orm#29331). So those paths talk to the driver itself: the PGlite
// instance, or a small pg.Pool of the handle's own, closed with the handle.
//
// Functions keep taking `prisma: Db`; `sql(prisma)` finds the driver that openDatabase registered
// for that client. Values are always bound parameters ($1, $2, ...), never spliced into the text.
// A Prisma.sql`...` fragment can be passed as is: its `.text` and `.values` are used.
//
// One exception, copyCsv: PostgreSQL's COPY takes no parameters, so its values are written into the
// text as literals (pg's escapeLiteral for strings; numbers, bigints and booleans checked as such).
//
// Both drivers return the same JS types for the columns used here: int2/int4/float as number, int8
// as number (bigint beyond 2^53, like PGlite), boolean, text, timestamptz as Date, json/jsonb parsed.
// Cast to ::text in SQL to get JSON as the database's text (cheaper than parse + stringify).
import "server-only";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { PGlite } from "@electric-sql/pglite";
import { log } from "@/lib/log";

export interface SqlStatement {
  text: string;
  values: readonly unknown[];
}

export interface Sql {
  /** Whether the database runs in a process of its own (PostgreSQL), so JS work overlaps its own; false for PGlite, which runs on this thread. */
  readonly ownProcess: boolean;
  /** Rows of a statement. */
  query<T>(statement: string | SqlStatement, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it inserted, updated or deleted. */
  exec(statement: string | SqlStatement, params?: readonly unknown[]): Promise<number>;
  /**
   * The rows of a SELECT as PostgreSQL's own CSV (COPY ... WITH (FORMAT csv): no header, records
   * ending in \n, a field quoted when it holds a comma, a quote or a line break, NULL empty). For
   * a page of rows: the whole output is returned at once.
   */
  copyCsv(select: InlineStatement): Promise<Buffer>;
  /**
   * Rows into a table by COPY: `copy` is the statement up to FROM (`COPY "T" ("a", "b")`), `options`
   * its WITH list (`FORMAT csv, ...`). Pieces are written in order, each made of whole rows; see CopyIn.
   */
  copyIn(copy: string, options: string): Promise<CopyIn>;
  /**
   * Runs `fn` with statements on one connection, held until it ends: a TEMP table made in it is seen
   * by its COPY and by the statements after. PostgreSQL: a client of the pool, released after (and
   * dropped if a statement failed mid-protocol); PGlite: its one connection.
   */
  session<T>(fn: (s: Sql) => Promise<T>): Promise<T>;
}

/**
 * The WITH list of a COPY in CSV whose delimiter (0x02) and quote (0x01) are bytes no JSON text
 * holds raw (JSON escapes every control character): JSON goes in as it is, other text through
 * copyField.
 */
export const COPY_CSV_OPTIONS = `FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'`;
const NEEDS_QUOTES = /[\x01\x02\n\r]/;

/** A text field of such a COPY: NULL is an unquoted empty field, an empty text is quoted, and a text holding 0x01, 0x02 or a line break is quoted. */
export function copyField(s: string | null): string {
  if (s === null) return "";
  if (s === "" || NEEDS_QUOTES.test(s)) return `\x01${s.replaceAll("\x01", "\x01\x01")}\x01`;
  return s;
}

/**
 * A COPY FROM being fed. `write` resolves once the piece is taken and there is room for the next (so a
 * caller builds piece N+1 while N is stored); `end` resolves with the rows stored; `abort` stops it.
 * PostgreSQL: one COPY FROM STDIN over the wire, one statement, so an aborted COPY stores nothing.
 * PGlite: one COPY a piece, from a file of its in-memory file system; an aborted one keeps the pieces
 * already stored (the caller deletes them).
 */
export interface CopyIn {
  write(piece: Buffer): Promise<void>;
  end(): Promise<number>;
  abort(reason: Error): Promise<void>;
}

/**
 * Rows of a COPY (each its text line, ending in \n) fed to a CopyIn in pieces of about `pieceBytes`,
 * one stored while the next is built. 1 MB by default: a piece's row strings are then let go before
 * the collector moves them to its old generation (with 4 MB pieces the 200 MB upload on PostgreSQL
 * peaked at +173 MB RSS, with 1 MB at +97 MB, as fast; docs/benchmarks.md).
 */
export class CopyRows {
  private parts: string[] = [];
  private bytes = 0;
  rows = 0;
  constructor(
    private readonly copy: CopyIn,
    private readonly pieceBytes = 1024 * 1024,
    private readonly onPiece?: (rows: number) => void,
  ) {}

  /** Adds a row; a promise when a piece was handed over and the caller should wait for room. */
  add(text: string): Promise<void> | undefined {
    this.parts.push(text);
    // Characters, not bytes: close enough for a piece's size.
    this.bytes += text.length;
    this.rows++;
    return this.bytes >= this.pieceBytes ? this.flush() : undefined;
  }

  private async flush() {
    if (this.parts.length === 0) return;
    const piece = Buffer.from(this.parts.join(""), "utf8");
    this.parts = [];
    this.bytes = 0;
    const rows = this.rows;
    await this.copy.write(piece);
    this.onPiece?.(rows);
  }

  /** Stores what is left; the rows stored in all. */
  async end(): Promise<number> {
    await this.flush();
    return this.copy.end();
  }

  abort(reason: unknown) {
    return this.copy.abort(reason instanceof Error ? reason : new Error(String(reason)));
  }
}

/** A statement whose values can be written into its text (a Prisma.sql`...` fragment is one). */
export interface InlineStatement {
  strings: readonly string[];
  values: readonly unknown[];
}

/** A value as an SQL literal. Only plain values: anything else is refused, not stringified. */
function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "string") return pg.escapeLiteral(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number" && Number.isFinite(v)) return `(${v})`;
  throw new Error(`copyCsv: cannot write a ${typeof v} into SQL`);
}

/** The statement's text with its values as literals. */
export function inlineSql(s: InlineStatement): string {
  return s.strings.reduce((text, part, i) => text + (i > 0 ? literal(s.values[i - 1]) : "") + part, "");
}

const copyStatement = (select: InlineStatement, target: string) => `COPY (${inlineSql(select)}) TO ${target} WITH (FORMAT csv)`;

// On globalThis, not in module scope: the built app bundles this module into several chunks, and a
// client registered by one copy must be found by the others.
const KEY = Symbol.for("batchboard.sql.registry");
const g = globalThis as unknown as Record<symbol, WeakMap<object, Sql> | undefined>;
const registry = (g[KEY] ??= new WeakMap<object, Sql>());

/** The raw driver of a client opened by openDatabase. */
export function sql(prisma: object): Sql {
  const s = registry.get(prisma);
  if (!s) throw new Error("No raw driver for this Prisma client: open it with openDatabase (a transaction client has none).");
  return s;
}

export function registerSql(prisma: object, s: Sql) {
  registry.set(prisma, s);
}

function split(statement: string | SqlStatement, params?: readonly unknown[]): [string, unknown[]] {
  if (typeof statement === "string") return [statement, params ? [...params] : []];
  return [statement.text, [...statement.values]];
}

export function pgliteSql(db: PGlite): Sql {
  let copies = 0;
  const self: Sql = {
    ownProcess: false,
    session: (fn) => fn(self),
    async copyIn(copy, options) {
      await db.waitReady;
      const fs = db.Module.FS;
      const file = `/tmp/batchboard-copyin-${++copies}`;
      let rows = 0;
      // One piece stored while the caller builds the next.
      let inFlight: Promise<void> = Promise.resolve();
      const store = async (piece: Buffer) => {
        try {
          // canOwn: the file keeps the piece's memory instead of growing a copy of it.
          fs.writeFile(file, piece, { canOwn: true });
          rows += (await db.query(`${copy} FROM '${file}' WITH (${options})`)).affectedRows ?? 0;
        } finally {
          if (fs.analyzePath(file).exists) fs.unlink(file);
        }
      };
      return {
        async write(piece) {
          await inFlight;
          inFlight = store(piece);
          // Surfaced by the next write or by end; kept from being an unhandled rejection meanwhile.
          inFlight.catch(() => {});
        },
        async end() {
          await inFlight;
          return rows;
        },
        async abort() {
          await inFlight.catch(() => {});
        },
      };
    },
    async query<T>(statement: string | SqlStatement, params?: readonly unknown[]) {
      const [text, values] = split(statement, params);
      return (await db.query<T>(text, values)).rows;
    },
    async exec(statement: string | SqlStatement, params?: readonly unknown[]) {
      const [text, values] = split(statement, params);
      return (await db.query(text, values)).affectedRows ?? 0;
    },
    async copyCsv(select) {
      // Into a file of PGlite's in-memory filesystem (/tmp is Emscripten's MEMFS; the data folder is
      // mounted elsewhere), read back whole. For 50,000 rows ~0.2 s less than COPY TO '/dev/blob',
      // which PGlite hands over as a Blob of one part per row, and ~0.05 s less than COPY TO STDOUT
      // read from the wire protocol (docs/benchmarks.md). The name is this COPY's own.
      const file = `/tmp/batchboard-copy-${++copies}.csv`;
      await db.waitReady;
      const fs = db.Module.FS;
      try {
        await db.query(copyStatement(select, `'${file}'`));
        const data = fs.readFile(file);
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      } finally {
        if (fs.analyzePath(file).exists) fs.unlink(file);
      }
    },
  };
  return self;
}

const INT8 = 20;
/** int8 as PGlite gives it: a number, or a bigint beyond 2^53 (pg's default is a string). */
function parseInt8(v: string): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
}
const pgTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") => (oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)),
} as pg.CustomTypesConfig;

/** A connection of the pool for one operation: `release(err)` drops it (a COPY cut short may leave it mid-protocol). */
interface Lease {
  client: pg.PoolClient;
  release(err?: Error): void;
}

/** COPY FROM STDIN on a connection taken by `take`, given back when the COPY ends or is aborted. */
async function pgCopyIn(take: () => Promise<Lease>, copy: string, options: string): Promise<CopyIn> {
  const { client, release: give } = await take();
  const stream = client.query(copyFrom(`${copy} FROM STDIN WITH (${options})`));
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", (err: Error) => {
      failed = err;
      reject(err);
    });
  });
  done.catch(() => {});
  let room: Promise<void> = Promise.resolve();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    give(err);
  };
  return {
    // A piece is handed over at once; the next write waits until the socket has taken it, so the
    // server can store piece N while the caller builds N+1.
    async write(piece) {
      if (failed) throw failed;
      await room;
      if (failed) throw failed;
      if (!stream.write(piece)) room = Promise.race([new Promise<void>((r) => stream.once("drain", r)), done.catch(() => {})]);
    },
    async end() {
      await room;
      stream.end();
      try {
        await done;
      } catch (err) {
        release(err as Error);
        throw err;
      }
      release();
      return stream.rowCount;
    },
    async abort(reason) {
      // pg-copy-streams answers a destroyed stream with CopyFail: the server drops the whole COPY.
      stream.destroy(reason);
      await done.catch(() => {});
      release(reason);
    },
  };
}

/** COPY (SELECT ...) TO STDOUT on a connection taken by `take`, read whole. */
async function pgCopyCsv(take: () => Promise<Lease>, select: InlineStatement): Promise<Buffer> {
  const { client, release } = await take();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(copyStatement(select, "STDOUT")))) chunks.push(chunk as Buffer);
    release();
    return Buffer.concat(chunks);
  } catch (err) {
    release(err as Error);
    throw err;
  }
}

/** query and exec on the pool (a client each) or on one client. */
function statementsOn(on: pg.Pool | pg.PoolClient): Pick<Sql, "query" | "exec"> {
  return {
    async query<T>(statement: string | SqlStatement, params?: readonly unknown[]) {
      const [text, values] = split(statement, params);
      return (await on.query(text, values)).rows as T[];
    },
    async exec(statement: string | SqlStatement, params?: readonly unknown[]) {
      const [text, values] = split(statement, params);
      return (await on.query(text, values)).rowCount ?? 0;
    },
  };
}

/** The statements of a session (Sql.session) on one client of the pool. */
function pgSessionSql(client: pg.PoolClient, broken: (err: Error) => void): Sql {
  // The session's own client for each operation; an operation that fails mid-protocol marks the
  // client to be dropped when the session ends.
  const take = async (): Promise<Lease> => ({ client, release: (err) => err && broken(err) });
  const self: Sql = {
    ownProcess: true,
    ...statementsOn(client),
    copyIn: (copy, options) => pgCopyIn(take, copy, options),
    copyCsv: (select) => pgCopyCsv(take, select),
    session: (fn) => fn(self),
  };
  return self;
}

export function pgPoolSql(connectionString: string, max = 4): Sql & { end(): Promise<void> } {
  const pool = new pg.Pool({ connectionString, max, types: pgTypes });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", (err) => log.warn("db.idle_connection_failed", { err }));
  const take = async (): Promise<Lease> => {
    const client = await pool.connect();
    return { client, release: (err) => client.release(err) };
  };
  return {
    ownProcess: true,
    ...statementsOn(pool),
    copyIn: (copy, options) => pgCopyIn(take, copy, options),
    copyCsv: (select) => pgCopyCsv(take, select),
    async session(fn) {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        return await fn(pgSessionSql(client, (err) => (failed ??= err)));
      } catch (err) {
        // A statement that failed leaves the connection usable; a COPY cut short may not: drop it
        // either way, with whatever TEMP tables the session made.
        failed ??= err as Error;
        throw err;
      } finally {
        client.release(failed);
      }
    },
    end: () => pool.end(),
  };
}
