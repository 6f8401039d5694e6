"use client";
import { Button } from "@/components/ui/button";

export default function DashboardError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="rounded-lg bg-white p-8 text-center shadow-xs ring-1 ring-slate-200">
      <h2 className="text-base font-semibold text-slate-900">This page could not be shown</h2>
      <p className="mt-1 text-sm text-slate-500">Something went wrong on our side. Nothing you stored was lost.</p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
