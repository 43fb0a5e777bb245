import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { pageNumberFooter, pdfmake } from '../../common/documents/pdfmake';
import { COLUMN_SHARES, YEAR_PLAN_COLUMNS, YearPlan } from '../year-plan';

const GREY = '#e6e9ee';
const LIGHT = '#f3f5f8';

/**
 * A4 landscape: six columns of Norwegian text need the width. Each month is one table whose first two rows
 * (the month and the column headings) repeat on every page it runs over and stay with its first task.
 */
export async function yearPlanPdf(plan: YearPlan): Promise<Buffer> {
  const content: Content[] = [
    { text: plan.title, style: 'title' },
    { text: plan.subtitle, margin: [0, 0, 0, 2] },
    { text: plan.printed, style: 'muted', margin: [0, 0, 0, 8] },
  ];
  for (const month of plan.months) {
    const body: TableCell[][] = [
      [{ text: `${month.name} ${plan.year}`, colSpan: 6, style: 'month', fillColor: GREY }, '', '', '', '', ''],
      YEAR_PLAN_COLUMNS.map((c) => ({ text: c, bold: true, fillColor: LIGHT })),
    ];
    const rows = month.sections.flatMap((s) => s.rows);
    if (rows.length === 0) body.push([{ text: 'Ingen oppgaver denne måneden.', colSpan: 6, italics: true }, '', '', '', '', '']);
    for (const section of month.sections) {
      if (section.wheelName) body.push([{ text: section.wheelName, colSpan: 6, bold: true, fillColor: LIGHT }, '', '', '', '', '']);
      for (const r of section.rows) body.push([r.task, r.deadlineText, r.responsible, r.storedIn, r.done, r.comment]);
    }
    content.push({
      table: { headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths: COLUMN_SHARES.map((s) => `${s}%`), body },
      layout: { hLineColor: () => '#b8bec7', vLineColor: () => '#b8bec7', paddingTop: () => 3, paddingBottom: () => 3 },
      margin: [0, 0, 0, 10],
    });
  }
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [28, 40, 28, 36],
    info: { title: plan.title, creator: 'Årshjul', producer: 'Årshjul' },
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.1 },
    styles: { title: { fontSize: 16, bold: true, margin: [0, 0, 0, 4] }, month: { fontSize: 11, bold: true }, muted: { color: '#4a4a4a' } },
    header: () => ({ columns: [{ text: plan.title, style: 'muted' }, { text: plan.printed, alignment: 'right', style: 'muted' }], margin: [28, 18, 28, 0], fontSize: 8 }),
    footer: pageNumberFooter,
    content,
  };
  return pdfmake.createPdf(doc).getBuffer();
}
