import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../../audit/services/compliance-files';
import { escapeHtml } from '../../common/escape-html';
import { MailAttachment } from '../../notifications/channels/channel';
import { Message } from '../../notifications/messages';

/** A unit's last noted chain head, as the weekly kjedeavtrykk lists it. */
export interface ImprintLine {
  unitId: string;
  unitName: string;
  sequence: number;
  hash: string;
  /** When it was noted, and when a time-stamping authority stamped it (null: not stamped). */
  notedAt: Date;
  stampedAt: Date | null;
}

/** ISO 8601 week number of a local date (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekNumber(date: string): number {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/**
 * The weekly kjedeavtrykk: each unit's last noted chain head (sequence and hash), in the text and as a CSV
 * attachment, so that a copy lives in the quality advisers' mailboxes, outside Årshjul's database. Unit
 * names, sequence numbers and hashes only: no task, comment, person or recipient code.
 */
export function chainImprintMessage(municipalityName: string, weekOf: string, lines: ImprintLine[]): { message: Message; attachment: MailAttachment } {
  const week = isoWeekNumber(weekOf);
  const title = `Kjedeavtrykk uke ${week} – ${municipalityName}`;
  const intro = [
    `Siste noterte kjedehode for hver enhet du følger som kvalitetsrådgiver, per uke ${week} (${weekOf}).`,
    'Ta vare på e-posten: den er en kopi utenfor Årshjul. Er en enhets kjede senere kortere enn et hode her,',
    'eller har posten med dette nummeret en annen hash, er poster fjernet eller byttet ut. Årshjuls kontroll',
    'av kjeden (GET /api/v1/audit/verify, npm run verify) sjekker kjeden mot hodene som er notert.',
  ];
  const stamp = (l: ImprintLine) => (l.stampedAt ? `, tidsstemplet ${l.stampedAt.toISOString()}` : '');
  const text = [
    title,
    '',
    ...intro,
    '',
    ...lines.flatMap((l) => [l.unitName, `  post ${l.sequence}, kjedehode ${l.hash}`, `  notert ${l.notedAt.toISOString()}${stamp(l)}`, '']),
    `Vedlegg: ${fileName(weekOf)} (de samme hodene, én linje per enhet).`,
    '',
    'Sendt fra Årshjul.',
  ].join('\n');
  const rows = lines
    .map((l) => `<tr><td>${escapeHtml(l.unitName)}</td><td>${l.sequence}</td><td style="font-family:monospace">${l.hash}</td>` +
      `<td>${l.notedAt.toISOString()}</td><td>${l.stampedAt ? l.stampedAt.toISOString() : '–'}</td></tr>`)
    .join('');
  const html =
    `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:Arial,sans-serif;color:#1b1b1b"><h1 style="font-size:20px">${escapeHtml(title)}</h1>` +
    intro.map((p) => escapeHtml(p)).join(' ').replace(/^/, '<p>') + '</p>' +
    `<table cellpadding="4" style="border-collapse:collapse"><thead><tr><th align="left">Enhet</th><th>Post</th><th align="left">Kjedehode</th><th align="left">Notert</th><th align="left">Tidsstemplet</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p>Vedlegg: ${escapeHtml(fileName(weekOf))}</p><p style="color:#555;font-size:12px">Sendt fra Årshjul.</p></body></html>`;
  return {
    message: { subject: `Årshjul – ${title}`, text, html },
    attachment: { filename: fileName(weekOf), contentType: 'text/csv; charset=utf-8', content: imprintCsv(lines) },
  };
}

/**
 * One line per unit: unit id, name, sequence, hash, noted, stamped. Semicolons and a byte order mark, as
 * Norwegian Excel opens CSV (like the compliance export); names neutralised against formulas.
 */
export function imprintCsv(lines: ImprintLine[]): string {
  const rows = lines.map((l) => [l.unitId, neutraliseFormula(l.unitName), l.sequence, l.hash, l.notedAt.toISOString(), l.stampedAt?.toISOString() ?? '']);
  return '\ufeff' + stringify([['enhet_id', 'enhet', 'post', 'kjedehode', 'notert', 'tidsstemplet'], ...rows], { delimiter: ';', record_delimiter: '\r\n' });
}

function fileName(weekOf: string): string {
  return `kjedeavtrykk-${weekOf}.csv`;
}
