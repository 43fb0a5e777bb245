import { datesInYear, parseRecurrence } from '../schedule/recurrence';
import { foreignWords } from '../../test/utils/telltales';
import { ValidationProblem } from '../common/problem';
import { buildRrule, BuiltRule, previewBuilt, RecurrenceForm, recurrenceText, ruleWhy } from './recurrence-builder';
import { RECURRENCE_TEXTS } from './recurrence-builder.texts';

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

describe("a recipient's task counted from the stay or from a date they hold", () => {
  it('"4 uker etter innflytting" is relativeTo activeFrom with P4W, and "ved utflytting" a zero offset', () => {
    expect(buildRrule({ pattern: 'stay-relative', anchor: 'activeFrom', interval: 4, unit: 'W' })).toEqual({ rrule: null, relativeTo: 'activeFrom', offset: 'P4W' });
    expect(buildRrule({ pattern: 'stay-relative', anchor: 'activeTo', interval: 0 })).toEqual({ rrule: null, relativeTo: 'activeTo', offset: 'P0D' });
    expect(buildRrule({ pattern: 'stay-relative', anchor: 'activeTo', interval: 1, unit: 'W', before: true })).toEqual({ rrule: null, relativeTo: 'activeTo', offset: '-P1W' });
  });

  it('refuses an offset of more than a year, in words', () => {
    expect(buildRrule({ pattern: 'stay-relative', anchor: 'activeFrom', interval: 2, unit: 'Y' })).toEqual({ error: expect.stringMatching(/høyst ett år/) });
  });

  it('"P1Y etter vedtak kap. 9" is a repeat after completion counted first from the named date', () => {
    expect(buildRrule({ pattern: 'after-date', interval: 1, unit: 'Y', dateName: ' vedtak kap. 9 ' })).toEqual({ rrule: null, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9' });
    expect(buildRrule({ pattern: 'after-date', interval: 1, unit: 'Y', dateName: '' })).toEqual({ error: expect.stringMatching(/navnet på datoen/) });
    expect(buildRrule({ pattern: 'after-date', interval: 11, unit: 'Y', dateName: 'vedtak kap. 9' })).toEqual({ error: expect.stringMatching(/10 år/) });
  });

  it('previews them as sentences with an example, no dates of their own', () => {
    const stay = buildRrule({ pattern: 'stay-relative', anchor: 'activeFrom', interval: 4, unit: 'W' });
    if ('error' in stay) throw new Error(stay.error);
    expect(previewBuilt(stay, 2027)).toMatchObject({ dates: [], note: expect.stringContaining('4 uker etter innflytting') });
    expect(previewBuilt(stay, 2027, 'none').note).toContain('flytter inn 01.03.2027, har frist 29.03.2027');
    // 29 March 2027 is Easter Monday: moved to the working day before the Easter holidays, as the row will be.
    expect(previewBuilt(stay, 2027).note).toContain('har frist 24.03.2027');
    const dated = buildRrule({ pattern: 'after-date', interval: 1, unit: 'Y', dateName: 'vedtak kap. 9' });
    if ('error' in dated) throw new Error(dated.error);
    expect(previewBuilt(dated, 2027).note).toContain('1 år etter datoen «vedtak kap. 9»');
  });

  it('describes stored rows the same way', () => {
    expect(recurrenceText({ rrule: null, repeatAfterCompletion: null, relativeTo: 'activeTo', offset: 'P0D' }).value).toBe('ved utflytting (<code>P0D</code>)');
    expect(recurrenceText({ rrule: null, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9', relativeTo: null, offset: null }).value).toContain('etter «vedtak kap. 9»');
  });
});

describe('the recurrence builder speaks the page’s language (nb, nn, en)', () => {
  const LANGS = ['nb', 'nn', 'en'] as const;
  const refused: RecurrenceForm[] = [
    { pattern: 'iso-week' },
    { pattern: 'every-n-years', interval: 4 },
    { pattern: 'after-completion', interval: 0 },
    { pattern: 'after-completion', interval: 6, month: 2, day: 30, startYear: 2027 },
    { pattern: 'after-date', interval: 1, unit: 'Y', dateName: '' },
    { pattern: 'after-date', interval: 11, unit: 'Y', dateName: 'vedtak kap. 9' },
    { pattern: 'stay-relative', interval: -1 },
    { pattern: 'stay-relative', interval: 2, unit: 'Y' },
    { pattern: 'custom', rrule: ' ' },
    { pattern: 'hver-fullmane' as never },
  ];
  const built = (form: RecurrenceForm): BuiltRule => {
    const rule = buildRrule(form);
    if ('error' in rule) throw new Error(rule.error);
    return rule;
  };
  const stored = [
    { rrule: null, repeatAfterCompletion: null, relativeTo: 'activeTo', offset: 'P0D' },
    { rrule: null, repeatAfterCompletion: null, relativeTo: 'activeFrom', offset: 'P4W' },
    { rrule: null, repeatAfterCompletion: null, relativeTo: 'activeTo', offset: '-P1W' },
    { rrule: null, repeatAfterCompletion: 'P6M', relativeTo: null, offset: null },
    { rrule: null, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'kap. 9', relativeTo: null, offset: null },
  ];

  it.each(LANGS)('in %s: what a form is missing, the previews’ notes, stored rows and a refused rule, with no word of the other languages', (lang) => {
    const w = RECURRENCE_TEXTS[lang];
    const words = [
      ...refused.map((form) => (buildRrule(form, w) as { error: string }).error),
      ...[
        built({ pattern: 'stay-relative', anchor: 'activeFrom', interval: 4, unit: 'W' }),
        built({ pattern: 'stay-relative', anchor: 'activeTo', interval: 1, unit: 'W', before: true }),
        built({ pattern: 'after-date', interval: 1, unit: 'Y', dateName: 'kap. 9' }),
        built({ pattern: 'after-completion', interval: 6, month: 3, day: 10, startYear: 2027 }),
      ].map((rule) => previewBuilt(rule, 2027, 'previous', w).note!),
      ...stored.map((task) => recurrenceText(task, w).value),
      w.notSaved(w.ruleRefused(ruleWhy(new ValidationProblem([{ field: 'rrule', message: 'yields no dates in 2027' }]), w))),
      w.ruleRefused(ruleWhy(new ValidationProblem([{ field: 'rrule', message: 'INTERVAL must be at least 1' }]), w)),
      w.ruleRefused(ruleWhy(new ValidationProblem([{ field: 'rrule', message: 'INTERVAL must be a whole number from 1 to 99 (every 1 to 99 years)' }]), w)),
      w.ruleRefused(ruleWhy(new ValidationProblem([{ field: 'startsOn', message: 'the rule must start in a year from 2000 to 2200' }]), w)),
      w.ruleRefused(ruleWhy(new ValidationProblem([{ field: 'rrule', message: 'deadlines are dates: the rule must repeat daily or less often' }]), w)),
    ];
    for (const text of words) {
      expect(text).toBeTruthy();
      expect({ text, foreign: foreignWords(text, lang) }).toEqual({ text, foreign: [] });
    }
  });

  it('says it in each language', () => {
    expect(buildRrule({ pattern: 'iso-week' }, RECURRENCE_TEXTS.nn)).toEqual({ error: 'Vel eit vekenummer frå 1 til 53.' });
    expect(buildRrule({ pattern: 'iso-week' }, RECURRENCE_TEXTS.en)).toEqual({ error: 'Choose a week number from 1 to 53.' });
    const stay = built({ pattern: 'stay-relative', anchor: 'activeFrom', interval: 4, unit: 'W' });
    expect(previewBuilt(stay, 2027, 'none', RECURRENCE_TEXTS.nn).note).toContain('4 veker etter innflytting');
    expect(previewBuilt(stay, 2027, 'none', RECURRENCE_TEXTS.en).note).toContain('4 weeks after moving in');
    expect(recurrenceText(stored[0], RECURRENCE_TEXTS.en).value).toBe('on moving out (<code>P0D</code>)');
    expect(recurrenceText(stored[3], RECURRENCE_TEXTS.nn).value).toBe('<code>P6M</code> etter førre gjennomføring');
    expect(RECURRENCE_TEXTS.en.notSaved(ruleWhy(new ValidationProblem([{ field: 'rrule', message: 'yields no dates in 2027' }]), RECURRENCE_TEXTS.en))).toBe('Not saved: it yields no deadlines in 2027.');
  });
});
