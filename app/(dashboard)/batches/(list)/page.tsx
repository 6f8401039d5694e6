// /batches: every batch of the current team, newest first, filtered by the address (status,
// provider, connection, member, dates, a search in the name) and paged by position (?after= older,
// ?before= newer; lib/batches/read/list.ts). A bad parameter shows what is wrong with the address.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listBatches, parseBatchListParams } from "@/lib/batches/read/list";
import { batchListFilterOptions } from "@/lib/batches/read/list-options";
import { batchListHref, filtersOf } from "@/lib/batches/read/list-params";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { BatchesList } from "@/components/batches/batches-list";
import { BatchFilters } from "@/components/batches/batch-filters";
import { assertCleanParams, readParams } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";

export const metadata: Metadata = { title: "Batches" };

export default async function BatchesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return parseBatchListParams(sp);
  });
  if (!read.ok) return <BadAddress title="Batches" message={read.error.message} href="/batches" label="the newest batches" />;
  const params = read.value;
  const prisma = await db();
  const [initial, options] = await Promise.all([listBatches(prisma, team.id, params), batchListFilterOptions(prisma, team.id)]);
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
      <BatchFilters key={batchListHref(filtersOf(params))} params={params} options={options} />
      <BatchesList initial={initial} params={params} canRun={can.run(role)} />
    </>
  );
}
