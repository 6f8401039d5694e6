// A batch's lineage: the batch it retried (its parent), that one's parent, up to the first batch
// (the root), and every retry made from any of them since, as one tree. Two recursive CTEs, each
// step checked against the team: another team's batch is never part of a lineage, and a batch of
// another team asked for by id is "not found" (null).
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { isTerminal } from "@/lib/providers/status";

export interface LineageNode {
  id: string;
  name: string;
  status: BatchStatus;
  parentId: string | null;
  /** 0 for the root, 1 for its retries, ... */
  depth: number;
  total: number;
  completed: number;
  failed: number;
  resultCount: number;
  createdAt: string;
  connectionName: string;
  /** The models of its input file (a retry may have changed it). */
  models: string[];
  terminal: boolean;
}

export interface Lineage {
  rootId: string;
  /** The batch asked for. */
  currentId: string;
  /** Depth-first from the root, children oldest first: the order of an indented tree. */
  nodes: LineageNode[];
  /** Whether any batch of it is still running (the page keeps polling). */
  live: boolean;
}

/** A loop cannot be made through retries, but a guard costs nothing. */
const MAX_DEPTH = 100;

type Row = Omit<LineageNode, "createdAt" | "terminal" | "total" | "completed" | "failed" | "resultCount" | "depth"> & {
  createdAt: Date;
  total: number | bigint;
  completed: number | bigint;
  failed: number | bigint;
  resultCount: number | bigint;
  depth: number | bigint;
};

export async function getLineage(prisma: Db, teamId: string, batchId: string): Promise<Lineage | null> {
  const rows = await prisma.$queryRaw<Row[]>(Prisma.sql`
    WITH RECURSIVE up AS (
      SELECT b."id", b."parentBatchId", 0 AS "hops" FROM "Batch" b WHERE b."id" = ${batchId} AND b."teamId" = ${teamId}
      UNION ALL
      SELECT p."id", p."parentBatchId", up."hops" + 1
      FROM "Batch" p JOIN up ON p."id" = up."parentBatchId"
      WHERE p."teamId" = ${teamId} AND up."hops" < ${MAX_DEPTH}
    ),
    root AS (SELECT "id" FROM up ORDER BY "hops" DESC LIMIT 1),
    down AS (
      SELECT root."id", 0 AS "depth" FROM root
      UNION ALL
      SELECT c."id", down."depth" + 1
      FROM "Batch" c JOIN down ON c."parentBatchId" = down."id"
      WHERE c."teamId" = ${teamId} AND down."depth" < ${MAX_DEPTH}
    )
    SELECT b."id", b."name", b."status"::text AS "status", b."parentBatchId" AS "parentId", down."depth",
      b."total", b."completed", b."failed", b."resultCount", b."createdAt", c."name" AS "connectionName", f."models"
    FROM down
    JOIN "Batch" b ON b."id" = down."id"
    JOIN "ProviderConnection" c ON c."id" = b."connectionId"
    JOIN "InputFile" f ON f."id" = b."inputFileId"
    ORDER BY down."depth", b."createdAt", b."id"`);
  if (rows.length === 0) return null;
  const nodes = rows.map(
    (r): LineageNode => ({
      id: r.id,
      name: r.name,
      status: r.status,
      parentId: r.parentId,
      depth: Number(r.depth),
      total: Number(r.total),
      completed: Number(r.completed),
      failed: Number(r.failed),
      resultCount: Number(r.resultCount),
      createdAt: r.createdAt.toISOString(),
      connectionName: r.connectionName,
      models: r.models ?? [],
      terminal: isTerminal(r.status),
    }),
  );
  const root = nodes.find((n) => n.depth === 0)!;
  return { rootId: root.id, currentId: batchId, nodes: treeOrder(nodes, root.id), live: nodes.some((n) => !n.terminal) };
}

/** Depth-first order (each batch followed by its retries, oldest first), from rows sorted by depth then age. */
function treeOrder(nodes: LineageNode[], rootId: string): LineageNode[] {
  const children = new Map<string | null, LineageNode[]>();
  for (const n of nodes) {
    const key = n.id === rootId ? null : n.parentId;
    children.set(key, [...(children.get(key) ?? []), n]);
  }
  const out: LineageNode[] = [];
  const visit = (n: LineageNode) => {
    out.push(n);
    for (const c of children.get(n.id) ?? []) visit(c);
  };
  for (const r of children.get(null) ?? []) visit(r);
  return out;
}

/** The ids of every batch of the lineage, for the merged view. */
export const lineageIds = (l: Lineage) => l.nodes.map((n) => n.id);
