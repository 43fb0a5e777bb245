import ExcelJS from 'exceljs';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

/**
 * Seed 003's "Årshjul enhet bo og habilitering" (January–April) as the unit keeps it: the task texts exactly
 * as the seed has them (typos included), with Ansvar and Lagres filled in as a unit would.
 */
export const SEED_003_TITLE = 'Årshjul enhet bo og habilitering';
export const SEED_003_MONTHS = ['Januar', 'Februar', 'Mars', 'April'];
export const SEED_003_ROWS: Array<{ month: number; title: string; ansvar: string; lagres: string }> = [
  { month: 1, title: 'Heng opp informasjon om sommerpuljer (når delestrek er avklart)', ansvar: 'Avdelingsleder', lagres: '' },
  { month: 1, title: 'Utarbeide årets plan for internundervisning i avdeling. Benytt gjerne NAKU sine temasider og oppdeling', ansvar: 'Fagkoordinator', lagres: 'Compilo' },
  { month: 1, title: 'VFR: Fyller inn eventuell overført ferie og avspasering for ansatte', ansvar: 'Avdelingsleder', lagres: 'VFR' },
  { month: 1, title: 'Opprette skjema på Teams: Behov sommervikarer', ansvar: 'Enhetsleder', lagres: 'Teams' },
  { month: 1, title: 'Ressursfordelingskartlegging', ansvar: 'Ressursfordelingsteam', lagres: '' },
  { month: 1, title: 'Lyse ut etter sommervikarer', ansvar: 'Enhetsleder', lagres: 'Webcruiter' },
  { month: 2, title: 'Kontakt tidligere sommervikarer og meld inn behov for vikarer i skjema på Teams', ansvar: 'Avdelingsleder', lagres: 'Teams' },
  { month: 2, title: 'Påske-/mai-/pinseturnus planlegges', ansvar: 'Avdelingsleder', lagres: 'GAT' },
  {
    month: 2,
    title: 'Ansvar for at det blir utført egenvurdering av legemiddelhåndteringsrutinene (Se Compilo: Egenvurdering av legemiddelhåndteringsrutiner)',
    ansvar: 'Avdelingsleder',
    lagres: 'Compilo',
  },
  { month: 2, title: 'Ansatte registrerer ferieansker i VFR, frist 1. mars.', ansvar: 'Alle ansatte', lagres: 'VFR' },
  { month: 2, title: 'Kalle inn til medarbeidersamtaler i Kompetanseportalen', ansvar: 'Avdelingsleder', lagres: 'Kompetanseportalen' },
  { month: 2, title: 'Kalle inn til seniorsamtaler', ansvar: 'Avdelingsleder', lagres: '' },
  { month: 2, title: 'Påse at årskontroll hos fastlege blir bestilt', ansvar: 'Primærkontakt', lagres: 'Helseplattformen' },
  { month: 2, title: 'Kartlegging av arbeidsmiljøet og arbeidsmiljøarbeidet (Skjema på Compilo)', ansvar: 'Enhetsleder', lagres: 'Compilo' },
  { month: 2, title: 'Planlegg HMS-dag', ansvar: 'Enhetsleder', lagres: '' },
  { month: 3, title: 'Hovedferien plasseres, frist 1. april', ansvar: 'Avdelingsleder', lagres: 'VFR' },
  { month: 3, title: 'Melde inn behov for sommervikarer i skjema på Teams', ansvar: 'Avdelingsleder', lagres: 'Teams' },
  { month: 3, title: 'ROS-analyse vold og trusler', ansvar: 'Enhetsleder', lagres: 'Compilo' },
  { month: 3, title: 'Ansvar for at det utføres halvårsevaluering av tjenestetilbudet til brukerne – Fagrapport.', ansvar: 'Primærkontakt', lagres: 'Helseplattformen' },
  { month: 4, title: 'Start/fulfjer arbeidet med utarbeidelse av sommerturnus', ansvar: 'Avdelingsleder', lagres: '' },
  { month: 4, title: 'Send inn arbeidsavtaler og dokumentasjon på sommervikarer til personalseksjonen', ansvar: 'Avdelingsleder', lagres: '' },
  { month: 4, title: 'Gjennomfør HMS-dag', ansvar: 'Alle ansatte', lagres: '' },
  { month: 4, title: 'Planlegg sommeravslutning/sosialt arrangement', ansvar: 'Avdelingsleder', lagres: '' },
];
const HEADINGS = ['Ansvar', 'Lagres', 'Utført', 'Kommentar'];

/** The table's rows as a unit types them: title, then per month a heading row, then the tasks. */
function tableRows(rows = SEED_003_ROWS): string[][] {
  const out: string[][] = [];
  for (const [i, month] of SEED_003_MONTHS.entries()) {
    // January's heading row holds the column headings too, as in the seed; the others stand alone.
    out.push(i === 0 ? [month, ...HEADINGS] : [month, '', '', '', '']);
    for (const row of rows.filter((r) => r.month === i + 1)) out.push([row.title, row.ansvar, row.lagres, '', '']);
  }
  return out;
}

/** An Excel workbook: title row, a blank row, then the table; some cells as rich text and formula results, as real sheets have. */
export async function seed003Xlsx(rows = SEED_003_ROWS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Årshjul');
  sheet.addRow([SEED_003_TITLE]);
  sheet.addRow([]);
  for (const cells of tableRows(rows)) {
    const row = sheet.addRow(cells);
    if (SEED_003_MONTHS.includes(cells[0])) row.font = { bold: true };
  }
  // A task typed with bold parts (rich text), and a Lagres cell that is a formula with its cached result.
  const vfr = sheet.getRow(6);
  vfr.getCell(1).value = { richText: [{ text: 'VFR:', font: { bold: true } }, { text: ' Fyller inn eventuell overført ferie og avspasering for ansatte' }] };
  vfr.getCell(3).value = { formula: 'UPPER("vfr")', result: 'VFR' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A Word document: the title as a heading, then one table with month heading rows. */
export async function seed003Docx(rows = SEED_003_ROWS): Promise<Buffer> {
  const cell = (text: string, bold = false) =>
    new TableCell({ width: { size: 20, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: SEED_003_TITLE, bold: true, size: 32 })] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: tableRows(rows).map((cells) => new TableRow({ children: cells.map((c) => cell(c, SEED_003_MONTHS.includes(cells[0]))) })),
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** The table copied from Word or Excel and pasted into a text file: cells separated by tabs. */
export function seed003Text(rows = SEED_003_ROWS): Buffer {
  return Buffer.from([SEED_003_TITLE, '', ...tableRows(rows).map((cells) => cells.join('\t'))].join('\r\n') + '\r\n', 'utf8');
}
