/** A row of the table as the file holds it: its line (1-based, as the person sees it) and its cells' text. */
export interface RawRow {
  line: number;
  cells: string[];
}

export type ImportFormat = 'xlsx' | 'docx' | 'text';
