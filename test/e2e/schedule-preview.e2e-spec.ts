import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { startTestApp, TestApp } from '../utils/test-app';

describe("previewing a rule's dates before saving it", () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.bearer(DEMO_PEOPLE.admin);
  });
  afterAll(() => t.close());

  const preview = (body: object) => t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send(body);

  it.each([
    [2026, ['2026-11-16']],
    [2027, ['2027-11-22']],
  ])('"uke 47" in %i is the Monday of ISO week 47', async (year, dates) => {
    const res = await preview({ rrule: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', year, timezone: 'Europe/Oslo', shift: 'none' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dates });
  });

  it('lists the last weekday of every month in ascending order', async () => {
    const res = await preview({ rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', year: 2027 });
    expect(res.body.dates).toHaveLength(12);
    expect([...res.body.dates].sort()).toEqual(res.body.dates);
    expect(res.body.dates[0]).toBe('2027-01-29');
  });

  it.each([
    ['previous', '2027-05-14'],
    ['next', '2027-05-18'],
    ['none', '2027-05-17'],
  ])('moves a deadline on 17 May 2027 (also Whit Monday) when asked: %s', async (shift, date) => {
    const res = await preview({ rrule: 'FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=17', year: 2027, shift });
    expect(res.body.dates).toEqual([date]);
  });

  it('moves a deadline on Easter Monday past the whole Easter', async () => {
    const res = await preview({ rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=29', year: 2027, shift: 'previous' });
    expect(res.body.dates).toEqual(['2027-03-24']);
  });

  it('anchors "every 4 years" on the start given', async () => {
    const rule = { rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', startsOn: '2027-01-01' };
    expect((await preview({ ...rule, year: 2031 })).body.dates).toEqual(['2031-10-01']);
    expect((await preview({ ...rule, year: 2029 })).status).toBe(422);
  });

  it.each([
    ['a rule that does not parse', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;BOGUS=1', year: 2027 }, 'rrule', /does not parse/],
    ['a rule with no dates in the year', { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', year: 2027 }, 'rrule', /yields no dates in 2027/],
    ['a month that does not exist', { rrule: 'FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=1', year: 2027 }, 'rrule', /BYMONTH/],
    ['an unknown time zone', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: 2027, timezone: 'Europe/Molde' }, 'timezone', /time zone/],
    ['an unknown shift', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: 2027, shift: 'sideways' }, 'shift', /must be one of/],
    ['a year as text', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: '2027' }, 'year', /year/],
    ['an unknown field', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: 2027, tz: 'Europe/Oslo' }, 'tz', /not a known field/],
    ['a start that is not a date', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: 2027, startsOn: '2027-02-30' }, 'startsOn', /not a date/],
  ])('answers %s with 422 naming the field', async (_, body, field, message) => {
    const res = await preview(body);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
  });
});
