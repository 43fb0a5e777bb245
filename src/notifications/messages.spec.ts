import { formatDate, MONTHLY_ITEMS_LISTED, monthlyChecklistFromRows, monthlyChecklistMessage, monthlyChecklistRow, ReminderItem } from './messages';

const item = (n: number): ReminderItem => ({
  occurrenceId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  title: `Oppgave ${n}`,
  unitName: 'Avdeling 1',
  recipientCode: null,
  deadline: '2026-11-30',
});
const linkOf = (id: string) => `https://arshjul.test/oppgaver/${id}`;
const checklist = 'https://arshjul.test/sjekkliste';

describe('the monthly checklist e-mail', () => {
  it('writes dates as people read them', () => {
    expect(formatDate('2027-02-26')).toBe('26.02.2027');
    expect(formatDate('2026-11-02')).toBe('02.11.2026');
  });

  it('lists every item of a unit-sized month, and no "more" line', () => {
    const items = Array.from({ length: 12 }, (_, n) => item(n));
    const message = monthlyChecklistMessage('Avdeling 1', '2026-11', items, [], linkOf, 'nb', checklist);
    for (const i of items) expect(message.text).toContain(linkOf(i.occurrenceId));
    expect(message.text).not.toContain('Se hele sjekklisten');
    expect(message.html).not.toContain(checklist);
  });

  it('for a manager of thousands of items, lists the first ones per section and counts and links the rest', () => {
    const items = Array.from({ length: 3000 }, (_, n) => item(n));
    const overdue = Array.from({ length: MONTHLY_ITEMS_LISTED + 7 }, (_, n) => item(10_000 + n));
    const message = monthlyChecklistMessage('Helse og omsorg', '2026-11', items, overdue, linkOf, 'nb', checklist);
    expect(message.text).toContain(linkOf(items[MONTHLY_ITEMS_LISTED - 1].occurrenceId));
    expect(message.text).not.toContain(linkOf(items[MONTHLY_ITEMS_LISTED].occurrenceId));
    expect(message.text).toContain(`… og ${3000 - MONTHLY_ITEMS_LISTED} til. Se hele sjekklisten i Årshjul:\n${checklist}`);
    expect(message.text).toContain(`… og 7 til.`);
    expect(message.html).toContain(`<a href="${checklist}">`);
    expect(Buffer.byteLength(message.html)).toBeLessThan(100_000);

    const english = monthlyChecklistMessage('Helse og omsorg', '2026-11', items, [], linkOf, 'en', checklist);
    expect(english.text).toContain(`… and ${3000 - MONTHLY_ITEMS_LISTED} more. See the whole checklist in Årshjul:`);
  });

  it('is the same message when made from rows rendered beforehand (the planner\'s way)', () => {
    const odd = (n: number): ReminderItem => ({
      ...item(n),
      title: n % 3 ? `Oppgave <${n}> & "sjekk" 'i dag'` : `Oppgave ${n}`,
      unitName: n % 2 ? 'Avd. <Sør> & Nord' : 'Avdeling 1',
      recipientCode: n % 4 ? null : `K-${n}`,
      owners: n % 5 ? ['Åse Ås', 'Bjørn <B>'] : [],
    });
    for (const [current, overdue, ownerless] of [[0, 0, 0], [3, 0, 0], [12, 2, 1], [MONTHLY_ITEMS_LISTED, MONTHLY_ITEMS_LISTED + 1, 0], [130, 0, 77]]) {
      for (const language of ['nb', 'en'] as const) {
        const make = (count: number, from: number) => Array.from({ length: count }, (_, n) => odd(from + n));
        const [c, o, w] = [make(current, 0), make(overdue, 1000), make(ownerless, 2000)];
        const section = (all: ReminderItem[]) => ({
          listed: all.slice(0, MONTHLY_ITEMS_LISTED).map((i) => monthlyChecklistRow(i, linkOf(i.occurrenceId), language)),
          total: all.length,
        });
        expect(monthlyChecklistFromRows('Avd. <Sør>', '2026-11', { current: section(c), overdue: section(o), ownerless: section(w) }, language, `${checklist}?a=1&b=2`)).toEqual(
          monthlyChecklistMessage('Avd. <Sør>', '2026-11', c, o, linkOf, language, `${checklist}?a=1&b=2`, w),
        );
      }
    }
  });
});
