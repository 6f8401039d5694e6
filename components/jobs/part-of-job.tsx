// "Part 2 of 5 of job <name>": where a batch that is one part of a job says so, linking to the job.
import Link from "next/link";

export interface PartOfJob {
  part: number;
  of: number;
  job: { id: string; name: string };
}

/** The line above a part's batch page. */
export function PartOfJobNote({ part }: { part: PartOfJob }) {
  return (
    <p className="text-sm text-slate-600">
      Part {part.part} of {part.of} of job{" "}
      <Link href={`/jobs/${part.job.id}`} className="font-medium text-brand-700 hover:underline">
        {part.job.name}
      </Link>
    </p>
  );
}

/** The small label beside a part's name in the batches list. */
export function PartLabel({ part }: { part: { jobId: string; part: number; of: number } }) {
  return (
    <Link
      href={`/jobs/${part.jobId}`}
      title="This batch is one part of a job: open the job"
      className="shrink-0 rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 ring-1 ring-inset ring-violet-200 hover:bg-violet-100"
    >
      Part {part.part} of {part.of}
    </Link>
  );
}
