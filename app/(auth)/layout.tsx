// The signed-out pages (sign in, sign up, an invite link): the logo and one card in the middle.
import Image from "next/image";
import Link from "next/link";
import { LanguageSwitch } from "@/components/layout/preferences";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="relative flex min-h-full flex-col items-center justify-center overflow-hidden bg-slate-50 px-4 py-12">
      <div aria-hidden className="pointer-events-none absolute inset-x-0 top-0 h-72 bg-gradient-to-b from-brand-100/70 to-transparent" />
      <div className="relative w-full max-w-sm">
        <Link href="/" className="mb-8 flex items-center justify-center gap-2.5 text-slate-900">
          <Image src="/logo.svg" alt="" width={36} height={36} className="h-9 w-9 rounded-lg shadow-sm" loading="eager" />
          <span className="text-xl font-semibold tracking-tight">Batchboard</span>
        </Link>
        <div className="rounded-xl bg-white px-7 py-8 shadow-sm ring-1 ring-slate-200">{children}</div>
        <p className="mt-6 text-center text-xs text-slate-500">Run LLM batch jobs across providers, with your team.</p>
        <div className="mt-4 flex justify-center">
          <LanguageSwitch className="text-slate-600 ring-slate-300" />
        </div>
      </div>
    </div>
  );
}
