"use client";
// The column choice of the results browser, remembered per user in this browser's localStorage:
// which columns the table shows, and whether downloads take those columns or every field.
import { useCallback, useSyncExternalStore } from "react";
import { DEFAULT_COLUMNS, parseColumns, type ResultColumnId } from "@/lib/results/columns";

/** Every field, the columns shown, or exactly the nine columns of the Bailian guide's script. */
export type ExportColumns = "all" | "shown" | "guide";

export interface ColumnChoice {
  columns: ResultColumnId[];
  /** Downloads: every field (the guide's columns and the rest), only the columns shown, or the guide's. */
  exportColumns: ExportColumns;
  /** For a CSV upload: put the uploaded row's own columns first in the CSV. */
  sourceColumns: boolean;
}

const DEFAULT: ColumnChoice = { columns: DEFAULT_COLUMNS, exportColumns: "all", sourceColumns: true };
const EVENT = "batchboard:result-columns";

const storageKey = (viewer: string) => `batchboard.results.columns.${viewer}`;

// useSyncExternalStore needs the same object for the same stored text, or React loops.
const cache = new Map<string, { text: string | null; value: ColumnChoice }>();

function read(viewer: string): ColumnChoice {
  let text: string | null = null;
  try {
    text = window.localStorage.getItem(storageKey(viewer));
  } catch {
    // Storage blocked (private mode, policy): the defaults it is.
  }
  const hit = cache.get(viewer);
  if (hit && hit.text === text) return hit.value;
  let value = DEFAULT;
  if (text) {
    try {
      const o = JSON.parse(text) as Partial<{ columns: string; exportColumns: string; sourceColumns: boolean }>;
      value = {
        columns: parseColumns(o.columns) ?? DEFAULT.columns,
        exportColumns: o.exportColumns === "shown" || o.exportColumns === "guide" ? o.exportColumns : "all",
        sourceColumns: o.sourceColumns !== false,
      };
    } catch {
      value = DEFAULT;
    }
  }
  cache.set(viewer, { text, value });
  return value;
}

function subscribe(onChange: () => void) {
  // Another tab (storage) or this one (our own event) changed the choice.
  window.addEventListener("storage", onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

export function useColumnChoice(viewer: string): [ColumnChoice, (next: Partial<ColumnChoice>) => void] {
  // The server renders the defaults; the stored choice applies right after hydration.
  const choice = useSyncExternalStore(subscribe, () => read(viewer), () => DEFAULT);
  const update = useCallback(
    (next: Partial<ColumnChoice>) => {
      const merged = { ...read(viewer), ...next };
      try {
        window.localStorage.setItem(
          storageKey(viewer),
          JSON.stringify({ columns: merged.columns.join(","), exportColumns: merged.exportColumns, sourceColumns: merged.sourceColumns }),
        );
      } catch {
        // Not remembered, but still applied below for this page.
        cache.set(viewer, { text: "__unsaved__", value: merged });
      }
      window.dispatchEvent(new Event(EVENT));
    },
    [viewer],
  );
  return [choice, update];
}
