import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { COLUMN_SHARES, YEAR_PLAN_COLUMNS, YearPlan } from '../year-plan';

// A4 in twips (1/20 pt); given as portrait, docx swaps them for landscape.
const A4 = { width: 11906, height: 16838 };
const MARGIN = 850; // 15 mm
const TABLE_WIDTH = A4.height - 2 * MARGIN;
const WIDTHS = COLUMN_SHARES.map((share) => Math.floor((TABLE_WIDTH * share) / 100));

interface CellStyle {
  bold?: boolean;
  italics?: boolean;
  fill?: string;
  /** A row of one text across the six columns: a wheel's name, or "no tasks". */
  spanning?: boolean;
}

function cell(text: string, column: number, style: CellStyle = {}): TableCell {
  return new TableCell({
    // Lines the user broke (a comment over several lines) stay broken.
    children: [new Paragraph({ children: text.split('\n').map((line, i) => new TextRun({ text: line, bold: style.bold, italics: style.italics, break: i > 0 ? 1 : undefined })) })],
    columnSpan: style.spanning ? WIDTHS.length : undefined,
    width: { size: style.spanning ? TABLE_WIDTH : WIDTHS[column], type: WidthType.DXA },
    shading: style.fill ? { fill: style.fill, type: ShadingType.CLEAR, color: 'auto' } : undefined,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
}

/**
 * Word as a unit keeps its wheel: a heading per month, kept with its table; each month a real table whose
 * header row repeats on every page it runs over, rows that do not split across pages, and "Side X av Y"
 * in the footer. A4 landscape, for six columns.
 */
export async function yearPlanDocx(plan: YearPlan): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ text: plan.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ text: plan.subtitle }),
    new Paragraph({ children: [new TextRun({ text: plan.printed, color: '4A4A4A' })], spacing: { after: 200 } }),
  ];
  for (const month of plan.months) {
    children.push(new Paragraph({ text: `${month.name} ${plan.year}`, heading: HeadingLevel.HEADING_1, keepNext: true, spacing: { before: 240, after: 80 } }));
    const rows = [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: YEAR_PLAN_COLUMNS.map((c, i) => cell(c, i, { bold: true, fill: 'E6E9EE' })),
      }),
    ];
    if (month.sections.every((s) => s.rows.length === 0)) rows.push(new TableRow({ children: [cell('Ingen oppgaver denne måneden.', 0, { spanning: true, italics: true })] }));
    for (const section of month.sections) {
      if (section.wheelName) rows.push(new TableRow({ cantSplit: true, keepNext: true, children: [cell(section.wheelName, 0, { spanning: true, bold: true, fill: 'F3F5F8' })] }));
      for (const r of section.rows) {
        rows.push(new TableRow({ cantSplit: true, children: [r.task, r.deadlineText, r.responsible, r.storedIn, r.done, r.comment].map((text, i) => cell(text, i)) }));
      }
    }
    children.push(new Table({ rows, width: { size: TABLE_WIDTH, type: WidthType.DXA }, columnWidths: WIDTHS }));
  }

  const document = new Document({
    creator: 'Årshjul',
    title: plan.title,
    styles: { default: { document: { run: { font: 'Calibri', size: 18 } } } },
    sections: [
      {
        properties: { page: { size: { ...A4, orientation: PageOrientation.LANDSCAPE }, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        headers: { default: new Header({ children: [new Paragraph({ children: [new TextRun({ text: `${plan.title}    ${plan.printed}`, color: '4A4A4A', size: 16 })] })] }) },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['Side ', PageNumber.CURRENT, ' av ', PageNumber.TOTAL_PAGES], size: 16 })] })],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
