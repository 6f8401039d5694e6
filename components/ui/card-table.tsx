// Tables that turn into a card per row on a phone: below md the header row is hidden, each row is a
// grid (cells placed by their own classes), and a figure carries its name in front of it (its
// data-label, shown by CSS: not in the cell's text, so a copied row or a test reads the figure
// alone). From md on, the same markup is an ordinary table. One list of cells, nothing said twice.

/** The table, its header and its body: blocks below md, a table from md. */
export const cardTable = {
  table: "block w-full text-sm md:table",
  head: "hidden md:table-header-group",
  body: "block divide-y divide-slate-100 md:table-row-group",
  /** A row: a grid of three columns on a phone (its sides' padding the card's own), a table row from md (its cells' md: paddings apply there). */
  row: "grid grid-cols-3 items-center gap-x-3 gap-y-2 py-3 md:table-row md:p-0",
  /** A cell whose data-label names its figure on a phone's card, where there is no header row. */
  labelled: "before:mr-1.5 before:text-xs before:text-slate-400 before:content-[attr(data-label)] md:before:content-none",
};
