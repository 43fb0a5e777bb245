import { createHash } from 'node:crypto';
import { headsDigest, headsText } from './heads-digest';
import { imprintCsv, isoWeekNumber } from './chain-imprint';

describe('the canonical text of noted chain heads', () => {
  const a = { unitId: 'A0000000-0000-4000-8000-000000000001', sequence: 12, hash: 'a'.repeat(64) };
  const b = { unitId: '00000000-0000-4000-8000-000000000002', sequence: 3, hash: 'b'.repeat(64) };

  it('is one line per unit, ordered by lower-case unit id, whatever order the heads come in', () => {
    const text = `arshjul-chain-heads-v1\n${b.unitId} 3 ${b.hash}\n${a.unitId.toLowerCase()} 12 ${a.hash}\n`;
    expect(headsText([a, b])).toBe(text);
    expect(headsText([b, a])).toBe(text);
    expect(headsDigest([a, b])).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('changes with any head', () => {
    expect(headsDigest([a, b])).not.toBe(headsDigest([a, { ...b, sequence: 2 }]));
    expect(headsDigest([a, b])).not.toBe(headsDigest([a]));
  });
});

describe('the kjedeavtrykk', () => {
  it.each([
    ['2027-01-04', 1],
    ['2027-01-11', 2],
    ['2026-12-28', 53],
    ['2026-11-30', 49],
    ['2028-01-03', 1],
  ])('names %s as week %i', (date, week) => expect(isoWeekNumber(date)).toBe(week));

  it('writes names a spreadsheet would run as formulas as text', () => {
    const csv = imprintCsv([{ unitId: 'u', unitName: '=HYPERLINK("x")', sequence: 1, hash: 'c'.repeat(64), notedAt: new Date('2027-01-05T00:15:00Z'), stampedAt: null }]);
    expect(csv.split('\r\n')[1]).toBe(`u;"'=HYPERLINK(""x"")";1;${'c'.repeat(64)};2027-01-05T00:15:00.000Z;`);
  });
});
