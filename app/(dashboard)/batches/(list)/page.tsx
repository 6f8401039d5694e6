// /batches: every batch of the current team, newest first, filtered by the address (status,
// provider, connection, member, dates, a search in the name) and paged by position (?after= older,
// ?before= newer; lib/batches/read/list.ts). A bad parameter shows what is wrong with the address.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
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

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("batches.list"))("title") };
}

export default async function BatchesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const t = await getTranslations("batches.list");
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return parseBatchListParams(sp);
  });
  if (!read.ok) return <BadAddress title={t("title")} message={read.error.message} href="/batches" label={t("badAddressLabel")} />;
  const params = read.value;
  const prisma = await db();
  const [initial, options] = await Promise.all([listBatches(prisma, team.id, params), batchListFilterOptions(prisma, team.id)]);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={team.personal ? t("descriptionPersonal") : t("description", { team: team.name })}
        actions={
          can.run(role) ? (
            <Link href="/batches/new" className={buttonClass()}>
              {t("newBatch")}
            </Link>
          ) : undefined
        }
      />
      <BatchFilters key={batchListHref(filtersOf(params))} params={params} options={options} />
      <BatchesList initial={initial} params={params} canRun={can.run(role)} />
    </>
  );
}
