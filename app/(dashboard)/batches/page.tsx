// /batches: every batch of the current team, newest first, ?source= (browser, api, import) to show
// one source, ?page= for older ones (1 to MAX_PAGE:
// another value shows what is wrong with the address, lib/http/params.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listBatches, sourceParam } from "@/lib/batches/read/list";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { BatchesList } from "@/components/batches/batches-list";
import { assertCleanParams, pageParam, readParams } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";

export const metadata: Metadata = { title: "Batches" };

export default async function BatchesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return pageParam(sp);
  });
  if (!read.ok) return <BadAddress title="Batches" message={read.error.message} href="/batches" label="the newest batches" />;
  const page = read.value;
  const source = sourceParam(typeof sp.source === "string" ? sp.source : undefined);
  const initial = await listBatches(await db(), team.id, { page, source });
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
      <BatchesList initial={initial} page={page} source={source} />
    </>
  );
}
