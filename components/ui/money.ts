// Money in the reader's language (formatMoney with the app's locale), for client components.
// A server component passes its locale itself: formatMoney(n, currency, await getLocale()).
import { useLocale } from "next-intl";
import { formatMoney } from "@/lib/pricing/cost";

export function useMoney(): (amount: number, currency: string) => string {
  const locale = useLocale();
  return (amount, currency) => formatMoney(amount, currency, locale);
}
