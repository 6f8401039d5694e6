"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

const links = [
  { href: "/overview", label: "overview" },
  { href: "/batches", label: "batches" },
  { href: "/compare", label: "compare" },
  { href: "/files", label: "files" },
  { href: "/templates", label: "templates" },
  { href: "/providers", label: "providers" },
  { href: "/prices", label: "prices" },
  { href: "/team", label: "team" },
  { href: "/tokens", label: "tokens" },
] as const;

/** Pages only a team's owners and admins see. */
const adminLinks = [{ href: "/audit", label: "audit" }] as const;

export function NavLinks({ admin = false }: { admin?: boolean }) {
  const path = usePathname();
  const t = useTranslations("shell.nav");
  return (
    <nav className="flex flex-col gap-0.5" aria-label={t("label")}>
      {[...links, ...(admin ? adminLinks : [])].map((l) => {
        const active = path === l.href || path.startsWith(l.href + "/");
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-ink-800 text-ink-50" : "text-ink-300 hover:bg-ink-800/60 hover:text-ink-50",
            )}
          >
            {t(l.label)}
          </Link>
        );
      })}
    </nav>
  );
}
