import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { placeDots } from './wheel.page';

const item = (deadline: string, n: number) => ({ occurrenceId: `o${n}`, deadline }) as OccurrenceItemDto;

/** The share of the circle at a point, 0 at twelve o'clock, clockwise (the wheel's centre is 260, 260). */
const share = (x: number, y: number) => ((Math.atan2(y - 260, x - 260) + Math.PI / 2 + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI);

describe("the wheel's dots", () => {
  it.each([
    ['one task on 31 December, outer ring', 1, 206, 28],
    ['ten recipients on 31 December', 10, 178, 28],
    ['forty on 31 December, inner ring of six', 40, 81, 25],
  ])('%s: every dot apart from the others and inside December', (_, count, radius, ringWidth) => {
    const placed = placeDots(Array.from({ length: count }, (__, n) => item('2026-12-31', n)), 2026, 11, radius, ringWidth);
    expect(placed).toHaveLength(count);
    const decemberStarts = 334 / 365;
    for (const p of placed) {
      const r = Math.hypot(p.x - 260, p.y - 260);
      const half = 3.5 / (2 * Math.PI * r);
      expect(share(p.x, p.y) - half).toBeGreaterThan(decemberStarts);
      expect(share(p.x, p.y) + half).toBeLessThan(1);
    }
    for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(6.9);
  });

  it('keeps a deadline on 1 January in January and spreads a month in date order', () => {
    const placed = placeDots([item('2026-01-01', 1), item('2026-01-15', 2), item('2026-01-31', 3)], 2026, 0, 206, 28);
    const shares = placed.map((p) => share(p.x, p.y));
    expect(shares[0]).toBeGreaterThan(0);
    expect(shares[0]).toBeLessThan(shares[1]);
    expect(shares[1]).toBeLessThan(shares[2]);
    expect(shares[2]).toBeLessThan(31 / 365);
  });
});
