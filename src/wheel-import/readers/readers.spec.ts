import ExcelJS from 'exceljs';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { readWheel } from '../interpret/interpret';
import { readTable } from './read-table';

const context = { year: 2027, roles: new Set(['manager', 'staff']) };

describe('reading the formats', () => {
  it('Word: months as headings between tables of their own, each with its column headings', async () => {
    const table = (rows: string[][]) => new Table({ rows: rows.map((cells) => new TableRow({ children: cells.map((c) => new TableCell({ children: [new Paragraph(c)] })) })) });
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Årshjul avdeling Åsen', heading: HeadingLevel.TITLE }),
            new Paragraph({ text: 'Januar', heading: HeadingLevel.HEADING_1 }),
            table([['Oppgave', 'Ansvar', 'Lagres'], ['Lyse ut etter sommervikarer', 'Avdelingsleder', 'Webcruiter']]),
            new Paragraph({ text: 'Februar', heading: HeadingLevel.HEADING_1 }),
            table([['Oppgave', 'Ansvar', 'Lagres'], ['Planlegg HMS-dag', 'Ansatte', '']]),
          ],
        },
      ],
    });
    const { format, rows } = await readTable(await Packer.toBuffer(document));
    expect(format).toBe('docx');
    const wheel = readWheel(rows, context);
    expect(wheel.title).toBe('Årshjul avdeling Åsen');
    expect(wheel.rows.map((r) => [r.month, r.title, r.responsibleRole, r.storedIn])).toEqual([
      [1, 'Lyse ut etter sommervikarer', 'manager', 'Webcruiter'],
      [2, 'Planlegg HMS-dag', 'staff', null],
    ]);
  });

  it('Excel: a month heading merged across the columns, a shared formula and a hyperlink', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ark1');
    sheet.addRow(['Mars']);
    sheet.mergeCells('A1:C1');
    sheet.addRow(['ROS-analyse vold og trusler', 'Leder', 'Compilo']);
    sheet.addRow([{ text: 'Se rutinen i Compilo', hyperlink: 'https://kommune.compilo.no/' }, 'Leder', { formula: 'C2', result: 'Compilo' }]);
    const { format, rows } = await readTable(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(format).toBe('xlsx');
    expect(readWheel(rows, context).rows.map((r) => [r.month, r.title, r.storedIn])).toEqual([
      [3, 'ROS-analyse vold og trusler', 'Compilo'],
      [3, 'Se rutinen i Compilo', 'Compilo'],
    ]);
  });

  it('CSV saved by Excel in Windows-1252: æøå, a dash and curly quotes come through', async () => {
    const text = 'Mars;;\r\nROS-analyse – vold og trusler;Leder;«Compilo» “mappe”\r\n';
    const bytes = Buffer.from([...text].map((c) => ({ '–': 0x96, '“': 0x93, '”': 0x94 })[c] ?? c.charCodeAt(0)));
    const { format, rows } = await readTable(bytes);
    expect(format).toBe('text');
    expect(readWheel(rows, context).rows.map((r) => [r.month, r.title, r.storedIn])).toEqual([[3, 'ROS-analyse – vold og trusler', '«Compilo» “mappe”']]);
  });
});
