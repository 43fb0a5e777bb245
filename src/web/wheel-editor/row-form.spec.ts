import { buildRrule } from '../recurrence-builder';
import { deadlinesOf, fieldsOfRule, fieldsOfTask, monthOfRow, recurrenceOf } from './row-form';

describe('the row form of the wheel editor', () => {
  it.each([
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', '2027-01-01'],
    ['FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', '2027-01-01'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2027-01-01'],
    ['FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', '2027-01-01'],
    ['FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15', '2027-03-01'],
    ['FREQ=WEEKLY;BYDAY=TU', '2027-01-01'],
  ])('opens %s in the pattern that writes it again', (rrule, startsOn) => {
    const built = buildRrule(recurrenceOf(fieldsOfRule(rrule, startsOn)));
    expect(built).toMatchObject({ rrule });
  });

  it('opens a row repeating after its last completion as «N måneder etter forrige gjennomføring», and saves it the same', () => {
    const fields = fieldsOfRule(null, '2027-03-10', 'P6M');
    expect(fields).toMatchObject({ monster: 'after-completion', intervall: '6', maned: '3', dag: '10', startar: '2027' });
    expect(buildRrule(recurrenceOf(fields))).toEqual({ rrule: null, repeatAfterCompletion: 'P6M', startsOn: '2027-03-10' });
  });

  it('shows such a row under its first deadline, in that year only', () => {
    expect(deadlinesOf(null, '2027-03-10', 'previous', 2027)).toEqual(['2027-03-10']);
    expect(deadlinesOf(null, '2027-03-13', 'previous', 2027)).toEqual(['2027-03-12']); // a Saturday
    expect(deadlinesOf(null, '2027-03-10', 'previous', 2028)).toEqual([]);
  });

  it('puts a row under the month of its first deadline, else the month it was imported under', () => {
    expect(monthOfRow(['2028-03-01', '2028-09-01'], 2)).toBe(3);
    expect(monthOfRow([], 5)).toBe(5);
    expect(monthOfRow([], null)).toBeNull();
  });
});

describe('rows counted from the stay or from a named date open in their patterns', () => {
  const base = { rrule: null, startsOn: '2027-01-01', repeatAfterCompletion: null, repeatAfterDate: null, relativeTo: null, offset: null };
  it.each([
    [{ ...base, relativeTo: 'activeFrom', offset: 'P4W' }, { rrule: null, relativeTo: 'activeFrom', offset: 'P4W' }],
    [{ ...base, relativeTo: 'activeTo', offset: '-P1W' }, { rrule: null, relativeTo: 'activeTo', offset: '-P1W' }],
    [{ ...base, relativeTo: 'activeTo', offset: 'P0D' }, { rrule: null, relativeTo: 'activeTo', offset: 'P0D' }],
    [{ ...base, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9' }, { rrule: null, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9' }],
    [{ ...base, repeatAfterCompletion: 'P2W', startsOn: '2027-03-10' }, { rrule: null, repeatAfterCompletion: 'P2W', startsOn: '2027-03-10' }],
  ])('%j is saved again as it was', (task, built) => {
    expect(buildRrule(recurrenceOf(fieldsOfTask(task)))).toEqual(built);
  });
});
