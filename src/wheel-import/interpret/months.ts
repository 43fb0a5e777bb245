/** Month names as wheels write them: full bokmål/nynorsk names and the usual abbreviations. */
const MONTHS: Record<string, number> = {
  januar: 1, jan: 1,
  februar: 2, feb: 2, febr: 2,
  mars: 3, mar: 3,
  april: 4, apr: 4,
  mai: 5,
  juni: 6, jun: 6,
  juli: 7, jul: 7,
  august: 8, aug: 8,
  september: 9, sep: 9, sept: 9,
  oktober: 10, okt: 10,
  november: 11, nov: 11,
  desember: 12, des: 12,
};

export const MONTH_PATTERN = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

/** The month a name stands for, or undefined. */
export function monthOf(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')];
}

/** A cell that is a month heading: "Januar", "FEB.", "Mars:", "April 2027". */
export function monthHeading(cell: string): number | undefined {
  const m = /^\s*([\p{L}]+)\.?:?(?:\s+\d{4})?\s*$/u.exec(cell);
  return m ? monthOf(m[1]) : undefined;
}
