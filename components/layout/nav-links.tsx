"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const links = [
  { href: "/overview", label: "Overview" },
  { href: "/batches", label: "Batches" },
  { href: "/compare", label: "Compare" },
  { href: "/files", label: "Files" },
  { href: "/templates", label: "Templates" },
  { href: "/providers", label: "Providers" },
  { href: "/prices", label: "Prices" },
  { href: "/team", label: "Team" },
  { href: "/tokens", label: "API tokens" },
];

/** Pages only a team's owners and admins see. */
const adminLinks = [{ href: "/audit", label: "Audit log" }];

export function NavLinks({ admin = false }: { admin?: boolean }) {
  const path = usePathname();
  return (
    <nav className="flex flex-col gap-0.5" aria-label="Main">
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
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
