// Small pieces the sign-in and sign-up forms share.
import { useTranslations } from "next-intl";

export function AuthHeading({ title, description }: { title: string; description?: React.ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-lg font-semibold tracking-tight text-slate-900">{title}</h1>
      {description && <p className="mt-1 text-sm text-slate-500">{description}</p>}
    </div>
  );
}

export function InviteNotice({ teamName }: { teamName: string }) {
  const t = useTranslations("auth");
  return (
    <p className="mb-5 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700 ring-1 ring-inset ring-brand-100">
      {t.rich("joining", { team: teamName, strong: (chunks) => <strong className="font-semibold">{chunks}</strong> })}
    </p>
  );
}
