import Link from "next/link";

export default function NotFound() {
  return (
    <div className="grid min-h-full place-items-center p-8">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">Not found</h1>
        <p className="mt-1 text-sm text-slate-500">It does not exist, or it belongs to another team.</p>
        <Link href="/batches" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:underline">
          Back to batches
        </Link>
      </div>
    </div>
  );
}
