import { SchedulerRegistry } from '@nestjs/schedule';
import { NextYearJob } from '../../src/occurrences/services/next-year.job';
import { count } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describe("next year's occurrences are created on 1 December, once", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-01T02:30:00Z'); // 03:30 in Oslo on 1 December
  });
  afterAll(() => t.close());

  it('is scheduled every day of December at 03:30 Oslo time, so a missed day is made up', () => {
    const job = t.app.get(SchedulerRegistry).getCronJob('materialise-next-year');
    expect(job).toBeDefined();
  });

  it('materialises 2027 for every unit of every municipality, once even when two replicas run it together', async () => {
    const job = t.app.get(NextYearJob);
    const results = await Promise.all([job.run(), job.run()]);
    expect(results.filter((r) => r === 2027)).toHaveLength(1);
    const units = await t.db.query(`SELECT DISTINCT u.name FROM occurrence o JOIN unit u ON u.id = o.unit_id WHERE o.scheduled_on >= '2027-01-01'`);
    // Every unit a wheel reaches: Helse og omsorg has none of its own (the planning cycle is Bo og habilitering's input).
    expect(units.map((u: { name: string }) => u.name).sort()).toEqual(['Avdeling Fjellvegen', 'Avdeling Sjøgata', 'Avdeling Åsen', 'Bo og habilitering'].sort());
    const before = await count(t.db, 'occurrence');
    expect(await job.run()).toBeNull();
    expect(await count(t.db, 'occurrence')).toBe(before);
  });
});
