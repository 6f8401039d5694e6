// /batches/new?file=<id>: launch one of the team's validated files on one of its connections. A NUL
// in the address shows what is wrong with it.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { launchOptions } from "@/lib/batches/read/launch-options";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { LaunchForm } from "@/components/batches/launch-form";
import { nulParam } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";

export const metadata: Metadata = { title: "New batch" };

export default async function NewBatchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const sp = await searchParams;
  const bad = nulParam(sp);
  if (bad) return <BadAddress title="New batch" message={bad.message} href="/batches/new" label="the launch form" />;
  const wanted = typeof sp.file === "string" ? sp.file : undefined;
  const options = await launchOptions(await db(), team.id);
  const header = <PageHeader title="New batch" description="Send every request of an uploaded file to a provider, at batch prices." />;

  if (!can.run(role)) {
    return (
      <>
        {header}
        <EmptyState
          title="Viewers cannot launch batches"
          action={
            <Link href="/batches" className={buttonClass("secondary")}>
              Back to batches
            </Link>
          }
        >
          Your role in {team.name} lets you follow batches and download their results. Ask an owner or admin to make you a member to launch your own.
        </EmptyState>
      </>
    );
  }
  if (options.files.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="No file ready to launch"
          action={
            <Link href="/files" className={buttonClass()}>
              Upload a file
            </Link>
          }
        >
          A batch runs the requests of an uploaded JSONL or CSV file that passed validation. Upload one on the Files page, then come back
          here (or use its “Launch a batch” button).
        </EmptyState>
      </>
    );
  }
  if (options.connections.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="No provider connection"
          action={
            <Link href="/providers" className={buttonClass()}>
              Add a connection
            </Link>
          }
        >
          Add a provider&apos;s API key on the Providers page to launch batches on it.
        </EmptyState>
      </>
    );
  }
  // A ?file= of another team, or one that is not valid, is simply not preselected.
  const fileId = options.files.some((f) => f.id === wanted) ? wanted! : options.files[0].id;
  return (
    <>
      {header}
      <LaunchForm options={options} initialFileId={fileId} />
    </>
  );
}
