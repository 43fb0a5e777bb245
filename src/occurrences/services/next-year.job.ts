import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { outsideAnyMunicipality } from '../../auth/tenant-context';
import { localDateAt } from '../../schedule/local-date';
import { MaterialiseService } from './materialise.service';
import { causedBySystem } from '../occurrence-change';

const JOB = 'materialise-next-year';

/**
 * From 1 December, materialises next year's occurrences for every municipality. It wakes every day of
 * December, so a day missed while the service was down is made up the next day. With several replicas,
 * PostgreSQL decides: the one that takes the advisory lock does the work and records it as done.
 */
@Injectable()
export class NextYearJob {
  private readonly logger = new Logger(NextYearJob.name);

  constructor(private readonly dataSource: DataSource, private readonly materialiser: MaterialiseService, private readonly clock: Clock) {}

  @Cron('0 30 3 * 12 *', { name: JOB, timeZone: 'Europe/Oslo' })
  async onSchedule(): Promise<void> {
    await outsideAnyMunicipality(() => this.run()).catch((error) => this.logger.error({ err: error }, 'Materialising next year failed; tried again tomorrow'));
  }

  /** Returns the year materialised, or null when another replica has it or it was already done. */
  async run(): Promise<number | null> {
    const year = Number(localDateAt(this.clock.now(), 'Europe/Oslo').slice(0, 4)) + 1;
    return this.dataSource.transaction(async (tx) => {
      // This transaction only holds the job's lock, idle, while each municipality is materialised on other
      // connections (minutes, nationally): the service's idle-in-transaction limit must not end it.
      const [{ locked }] = await tx.query(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked, set_config('idle_in_transaction_session_timeout', '0', true)`,
        [JOB],
      );
      if (!locked) return null;
      const done = await tx.query(`SELECT 1 FROM scheduled_job_run WHERE job = $1 AND period = $2`, [JOB, String(year)]);
      if (done.length > 0) return null;
      const roots: Array<{ id: string; municipality_id: string }> = await tx.query(
        `SELECT id, municipality_id FROM unit WHERE parent_id IS NULL AND archived_at IS NULL`,
      );
      let created = 0;
      for (const root of roots) created += (await this.materialiser.materialise(root.municipality_id, root.id, year, causedBySystem('next-year'))).created;
      await tx.query(`INSERT INTO scheduled_job_run (job, period) VALUES ($1, $2)`, [JOB, String(year)]);
      this.logger.log({ year, created }, `Materialised ${year}`);
      return year;
    });
  }
}
