// "Part 2 of 5 of job <name>": where a batch that is one part of a job says so, linking to the job.
import Link from "next/link";
import { useTranslations } from "next-intl";

export interface PartOfJob {
  part: number;
  of: number;
  job: { id: string; name: string };
}

/** The line above a part's batch page. */
export function PartOfJobNote({ part }: { part: PartOfJob }) {
  const t = useTranslations("batches.jobs");
  return (
    <p className="text-sm text-slate-600">
      {t.rich("partOfJob", {
        part: part.part,
        of: part.of,
        name: part.job.name,
        link: (chunks) => (
          <Link href={`/jobs/${part.job.id}`} className="font-medium text-brand-700 hover:underline">
            {chunks}
          </Link>
        ),
      })}
    </p>
  );
}

/** The small label beside a part's name in the batches list. */
export function PartLabel({ part }: { part: { jobId: string; part: number; of: number } }) {
  const t = useTranslations("batches.jobs");
  return (
    <Link
      href={`/jobs/${part.jobId}`}
      title={t("partTitle")}
      className="shrink-0 rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 ring-1 ring-inset ring-violet-200 hover:bg-violet-100"
    >
      {t("partLabel", { part: part.part, of: part.of })}
    </Link>
  );
}
