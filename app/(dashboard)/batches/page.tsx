// /batches: every batch of the current team, newest first, ?page= for older ones.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listBatches } from "@/lib/batches/queries";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { BatchesList } from "@/components/batches/batches-list";
import { parsePage } from "@/components/batches/result-params";

export const metadata: Metadata = { title: "Batches" };

export default async function BatchesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const page = parsePage(await searchParams);
  const initial = await listBatches(await db(), team.id, { page });
  return (
    <>
      <PageHeader
        title="Batches"
        description={`Every batch ${team.personal ? "you have" : `${team.name} has`} launched, newest first.`}
        actions={
          can.run(role) ? (
            <Link href="/batches/new" className={buttonClass()}>
              New batch
            </Link>
          ) : undefined
        }
      />
      <BatchesList initial={initial} page={page} />
    </>
  );
}
