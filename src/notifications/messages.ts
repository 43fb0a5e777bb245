import { escapeHtml } from '../common/escape-html';

/**
 * The words of every reminder, in Norwegian bokmål (default) or English. A message names a task, a
 * unit, a deadline and at most a recipient's pseudonymous code: never a name, diagnosis or fødselsnummer.
 */
export type Language = 'nb' | 'en';
export type ReminderKind = 'opens' | 'due_soon' | 'due_today' | 'overdue' | 'escalation';

export interface ReminderItem {
  occurrenceId: string;
  title: string;
  unitName: string;
  recipientCode: string | null;
  deadline: string;
  /** Who is responsible, for the manager's messages (employees' names, not recipients'). */
  owners?: string[];
  status?: string;
}

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const T = {
  nb: {
    opens: 'Ny oppgave',
    due_soon: 'Frist snart',
    due_today: 'Frist i dag',
    overdue: 'Fristen er passert',
    escalation: 'Forfalt oppgave i din enhet',
    deadline: 'Frist',
    unit: 'Enhet',
    recipient: 'Tjenestemottaker',
    owners: 'Ansvarlig',
    open: 'Åpne oppgaven',
    digest: 'Dine oppgaver i dag',
    monthly: 'Månedens sjekkliste',
    overdueFromEarlier: 'Forfalt fra tidligere måneder',
    ownerless: 'Ingen ansvarlig: gi oppgavene en ansvarlig (rollen mangler i enheten)',
    nobody: 'Ingen ansvarlig',
    none: 'Ingen oppgaver.',
    more: (n: number) => `… og ${n} til. Se hele sjekklisten i Årshjul:`,
    onBehalf: 'Du får denne som stedfortreder for',
    footer: 'Sendt fra Årshjul. Signer oppgaven når den er gjennomført.',
  },
  en: {
    opens: 'New task',
    due_soon: 'Due soon',
    due_today: 'Due today',
    overdue: 'Deadline passed',
    escalation: 'Overdue task in your unit',
    deadline: 'Deadline',
    unit: 'Unit',
    recipient: 'Service recipient',
    owners: 'Responsible',
    open: 'Open the task',
    digest: 'Your tasks today',
    monthly: "This month's checklist",
    overdueFromEarlier: 'Overdue from earlier months',
    ownerless: 'Nobody responsible: give these tasks someone responsible (nobody holds the role in the unit)',
    nobody: 'Nobody responsible',
    none: 'No tasks.',
    more: (n: number) => `… and ${n} more. See the whole checklist in Årshjul:`,
    onBehalf: 'You receive this as deputy for',
    footer: 'Sent by Årshjul. Sign the task off when it is done.',
  },
};

/** A local date as people read it: 26.02.2027. */
export function formatDate(date: string): string {
  // Slices, not split(): a monthly checklist formats hundreds of thousands of dates in a morning.
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

function itemLines(item: ReminderItem, language: Language): string[] {
  const t = T[language];
  return [
    `${t.deadline}: ${formatDate(item.deadline)}`,
    `${t.unit}: ${item.unitName}`,
    ...(item.recipientCode ? [`${t.recipient}: ${item.recipientCode}`] : []),
    // owners undefined: not told (a reminder goes to the owner); empty: nobody holds the role.
    ...(item.owners ? [`${t.owners}: ${item.owners.length ? item.owners.join(', ') : t.nobody}`] : []),
  ];
}

function itemHtml(item: ReminderItem, language: Language, link: string): string {
  const lines = itemLines(item, language).map((l) => escapeHtml(l)).join('<br>');
  return `<li><a href="${escapeHtml(link)}">${escapeHtml(item.title)}</a><br>${lines}</li>`;
}

function page(title: string, inner: string, language: Language): string {
  return `<!doctype html><html lang="${language === 'nb' ? 'nb' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:Arial,sans-serif;color:#1b1b1b"><h1 style="font-size:20px">${escapeHtml(title)}</h1>${inner}` +
    `<p style="color:#555;font-size:12px">${escapeHtml(T[language].footer)}</p></body></html>`;
}

/** Titles may be 300 characters; in a subject they are cut so that the code and the unit still show in Teams' 150. */
const SUBJECT_TITLE_LENGTH = 80;

function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The subject names the unit: a manager of several units gets the same task from each, and must tell
 * them apart in the inbox and in Teams' activity feed (whose text is this subject).
 */
export function reminderMessage(kind: ReminderKind, item: ReminderItem, link: string, language: Language, deputyFor?: string): Message {
  const t = T[language];
  const headline = t[kind];
  const code = item.recipientCode ? ` (${item.recipientCode})` : '';
  const subject = `Årshjul – ${headline}: ${shortened(item.title, SUBJECT_TITLE_LENGTH)}${code} – ${item.unitName}`;
  const behalf = deputyFor ? [`${t.onBehalf} ${deputyFor}.`] : [];
  const text = [headline, '', item.title, ...itemLines(item, language), '', ...behalf, `${t.open}: ${link}`, '', t.footer].join('\n');
  const html = page(headline, `${behalf.map((b) => `<p>${escapeHtml(b)}</p>`).join('')}<ul>${itemHtml(item, language, link)}</ul>`, language);
  return { subject, text, html };
}

export function digestMessage(items: Array<ReminderItem & { kind: ReminderKind }>, linkOf: (id: string) => string, language: Language, date: string): Message {
  const t = T[language];
  const title = `${t.digest} ${formatDate(date)}`;
  const text = [
    title,
    '',
    ...items.flatMap((i) => [`${t[i.kind]}: ${i.title}`, ...itemLines(i, language).map((l) => `  ${l}`), `  ${linkOf(i.occurrenceId)}`, '']),
    t.footer,
  ].join('\n');
  const html = page(title, `<ul>${items.map((i) => itemHtml({ ...i, title: `${t[i.kind]}: ${i.title}` }, language, linkOf(i.occurrenceId))).join('')}</ul>`, language);
  return { subject: `Årshjul – ${title} (${items.length})`, text, html };
}

/**
 * At most this many items per section of a monthly checklist e-mail; the rest are counted and linked.
 * A manager of a large part of the organisation would otherwise get thousands of lines (megabytes).
 */
export const MONTHLY_ITEMS_LISTED = 50;

/** One row of a monthly checklist e-mail in one language, made once and printed by every checklist that lists it. */
export interface ChecklistRow {
  /** Its lines of the text, joined. */
  text: string;
  html: string;
}

export function monthlyChecklistRow(item: ReminderItem, link: string, language: Language): ChecklistRow {
  return {
    text: [`- ${item.title}`, ...itemLines(item, language).map((l) => `  ${l}`), `  ${link}`].join('\n'),
    html: itemHtml(item, language, link),
  };
}

/** A section of a monthly checklist: the rows it prints (the first MONTHLY_ITEMS_LISTED at most) and how many it has. */
export interface ChecklistSection {
  listed: ChecklistRow[];
  total: number;
}

/** The monthly checklist of a unit from its rows made beforehand; sections without rows are left out, but the month's. */
export function monthlyChecklistFromRows(
  unitName: string,
  month: string,
  parts: { current: ChecklistSection; overdue: ChecklistSection; ownerless: ChecklistSection },
  language: Language,
  checklistLink: string,
): Message {
  const t = T[language];
  const [y, m] = month.split('-');
  const title = `${t.monthly} ${m}.${y} – ${unitName}`;
  // Built as lists joined once: one flat string per message, not a rope of every row (less for the GC to copy).
  const text: string[] = [title, ''];
  const html: string[] = [];
  const section = (heading: string, { listed, total }: ChecklistSection) => {
    const more = total - listed.length;
    text.push(heading);
    html.push(`<h2 style="font-size:16px">${escapeHtml(heading)}</h2>`);
    if (listed.length) {
      html.push('<ul>');
      for (const row of listed) {
        text.push(row.text);
        html.push(row.html);
      }
      html.push('</ul>');
    } else {
      text.push(t.none);
      html.push(`<p>${t.none}</p>`);
    }
    if (more) {
      text.push(t.more(more), checklistLink);
      html.push(`<p>${escapeHtml(t.more(more))} <a href="${escapeHtml(checklistLink)}">${escapeHtml(checklistLink)}</a></p>`);
    }
    text.push('');
  };
  if (parts.ownerless.total) section(t.ownerless, parts.ownerless);
  if (parts.overdue.total) section(t.overdueFromEarlier, parts.overdue);
  section(t.monthly, parts.current);
  text.push(t.footer);
  return { subject: `Årshjul – ${title}`, text: text.join('\n'), html: page(title, html.join(''), language) };
}

/**
 * The monthly checklist of a unit from its items, each rendered where it is printed (the per-manager
 * reference planning in test/utils uses it). The planner makes the same message with monthlyChecklistFromRows
 * from rows rendered once for many checklists; messages.spec.ts checks that the two agree.
 */
export function monthlyChecklistMessage(
  unitName: string,
  month: string,
  items: ReminderItem[],
  overdue: ReminderItem[],
  linkOf: (id: string) => string,
  language: Language,
  checklistLink: string,
  ownerless: ReminderItem[] = [],
): Message {
  const t = T[language];
  const [y, m] = month.split('-');
  const title = `${t.monthly} ${m}.${y} – ${unitName}`;
  const section = (heading: string, all: ReminderItem[]) => {
    const list = all.slice(0, MONTHLY_ITEMS_LISTED);
    const more = all.length - list.length;
    return {
      text: [
        heading,
        ...(list.length ? list.flatMap((i) => [`- ${i.title}`, ...itemLines(i, language).map((l) => `  ${l}`), `  ${linkOf(i.occurrenceId)}`]) : [t.none]),
        ...(more ? [t.more(more), checklistLink] : []),
        '',
      ],
      html:
        `<h2 style="font-size:16px">${escapeHtml(heading)}</h2>` +
        (list.length ? `<ul>${list.map((i) => itemHtml(i, language, linkOf(i.occurrenceId))).join('')}</ul>` : `<p>${t.none}</p>`) +
        (more ? `<p>${escapeHtml(t.more(more))} <a href="${escapeHtml(checklistLink)}">${escapeHtml(checklistLink)}</a></p>` : ''),
    };
  };
  const sections = [
    ...(ownerless.length ? [section(t.ownerless, ownerless)] : []),
    ...(overdue.length ? [section(t.overdueFromEarlier, overdue)] : []),
    section(t.monthly, items),
  ];
  return {
    subject: `Årshjul – ${title}`,
    text: [title, '', ...sections.flatMap((s) => s.text), t.footer].join('\n'),
    html: page(title, sections.map((s) => s.html).join(''), language),
  };
}

/** The Adaptive Card a Teams Workflows webhook posts to a unit's channel. */
export function adaptiveCard(message: Message, link: string): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: message.subject, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: message.text.split('\n').slice(2, 40).join('\n\n'), wrap: true },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Åpne i Årshjul', url: link }],
        },
      },
    ],
  };
}
