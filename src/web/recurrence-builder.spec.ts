import { datesInYear, parseRecurrence } from '../schedule/recurrence';
import { buildRrule, previewBuilt, RecurrenceForm } from './recurrence-builder';

const datesOf = (form: RecurrenceForm, year: number) => {
  const built = buildRrule(form);
  if ('error' in built) throw new Error(built.error);
  if (built.rrule === null) throw new Error('not a rule');
  return datesInYear(parseRecurrence(built.rrule, built.startsOn ?? '2020-01-01'), year);
};

describe('the recurrence builder writes the rules administrators mean', () => {
  it.each<[string, RecurrenceForm, number, string[]]>([
    ['every year on 1 March', { pattern: 'yearly-date', month: 3, day: 1 }, 2027, ['2027-03-01']],
    ['ISO week 47, Monday', { pattern: 'iso-week', week: 47, weekday: 'MO' }, 2026, ['2026-11-16']],
    ['the last day of February', { pattern: 'yearly-date', month: 2, day: -1 }, 2028, ['2028-02-29']],
    ['every 6 months from March', { pattern: 'every-n-months', interval: 6, month: 3, day: -1, startYear: 2026 }, 2027, ['2027-03-31', '2027-09-30']],
    ['every 4 years from the 2027 election', { pattern: 'every-n-years', interval: 4, month: 10, day: 1, startYear: 2027 }, 2031, ['2031-10-01']],
    ['not in the years between', { pattern: 'every-n-years', interval: 4, month: 10, day: 1, startYear: 2027 }, 2029, []],
    ['a rule typed by hand', { pattern: 'custom', rrule: ' FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20 ' }, 2027, ['2027-12-20']],
  ])('%s', (_, form, year, expected) => {
    expect(datesOf(form, year)).toEqual(expected);
  });

  it('the last weekday of each month: twelve dates', () => {
    expect(datesOf({ pattern: 'last-weekday-monthly' }, 2027)).toHaveLength(12);
  });

  it('says what is missing', () => {
    expect(buildRrule({ pattern: 'iso-week' })).toEqual({ error: expect.stringMatching(/ukenummer/) });
    expect(buildRrule({ pattern: 'every-n-years', interval: 4 })).toEqual({ error: expect.stringMatching(/året det starter/) });
    expect(buildRrule({ pattern: 'custom', rrule: ' ' })).toEqual({ error: expect.stringMatching(/RRULE/) });
    expect(buildRrule({ pattern: 'hver-fullmane' as never })).toEqual({ error: 'Velg et mønster fra listen.' });
  });
});

describe('"N måneder etter forrige gjennomføring" is a duration after the last completion, not a rule', () => {
  it('gives P6M and the first deadline', () => {
    expect(buildRrule({ pattern: 'after-completion', interval: 6, month: 3, day: 10, startYear: 2027 })).toEqual({ rrule: null, repeatAfterCompletion: 'P6M', startsOn: '2027-03-10' });
  });

  it('takes −1 as the last day of the month', () => {
    expect(buildRrule({ pattern: 'after-completion', interval: 12, month: 2, day: -1, startYear: 2028 })).toMatchObject({ startsOn: '2028-02-29', repeatAfterCompletion: 'P12M' });
  });

  it.each<[string, RecurrenceForm]>([
    ['no months', { pattern: 'after-completion', interval: 0, month: 3, day: 1, startYear: 2027 }],
    ['more than ten years', { pattern: 'after-completion', interval: 121, month: 3, day: 1, startYear: 2027 }],
    ['a day not in the calendar', { pattern: 'after-completion', interval: 6, month: 2, day: 30, startYear: 2027 }],
  ])('refuses %s', (_, form) => {
    expect(buildRrule(form)).toHaveProperty('error');
  });

  it('previews the first deadline and says how the next ones come', () => {
    const built = buildRrule({ pattern: 'after-completion', interval: 6, month: 3, day: 10, startYear: 2027 });
    if ('error' in built) throw new Error(built.error);
    expect(previewBuilt(built, 2028)).toEqual({
      year: 2027,
      dates: ['2027-03-10'],
      rule: 'P6M',
      note: 'Første frist er den over; deretter kommer neste frist 6 måneder etter hver gjennomføring (dagen den signeres).',
    });
  });
});
