// Marks a dry run: a free test of a file's first requests on the provider's test model, not real answers.
export function DryRunBadge({ dryRun }: { dryRun: boolean }) {
  if (!dryRun) return null;
  return (
    <span
      title="A free test of the file's first requests on the provider's test model: it checks the format and the flow, not the answers"
      className="inline-flex shrink-0 items-center rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-700 ring-1 ring-inset ring-sky-200"
    >
      Dry run
    </span>
  );
}
