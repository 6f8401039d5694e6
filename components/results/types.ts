// What the batch page hands the results browser from the server: the view in the URL, its first
// page (so rows show without a round trip), and who is looking (the column choice is per user).
import type { ResultParams } from "@/lib/results/params";
import type { ResultsPage } from "@/lib/results/types";

export interface InitialResults {
  params: ResultParams;
  /** The first page of that view; null when the batch had no results yet. */
  data: ResultsPage | null;
  /** The signed-in user's id: the key of their column choice in localStorage. */
  viewer: string;
}
