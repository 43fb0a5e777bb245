import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { outsideAnyMunicipality } from '../../auth/tenant-context';
import { CheckpointRun, UnitVerificationService } from './unit-verification.service';

const JOB = 'verification-checkpoints-nightly';

/**
 * Each night at 01:45 in Oslo (after the chain heads are noted at 01:15, so a new checkpoint usually sits on a
 * noted head; away from the hour DST skips or repeats) verifies every unit's records since its last checkpoint
 * and moves the checkpoint to the head. With several replicas, the one that takes the advisory lock does the
 * night's work; the others return at once (and the unique (unit, sequence) keeps one checkpoint per place anyway).
 */
@Injectable()
export class CheckpointsJob {
  private readonly logger = new Logger(CheckpointsJob.name);

  constructor(private readonly dataSource: DataSource, private readonly verification: UnitVerificationService) {}

  @Cron('0 45 1 * * *', { name: JOB, timeZone: 'Europe/Oslo' })
  async onNight(): Promise<void> {
    await outsideAnyMunicipality(() => this.runNight()).catch((error) =>
      this.logger.error({ err: { message: (error as Error).message } }, 'Verifying records for checkpoints failed; tried again next night'),
    );
  }

  /** The night's work, on demand too (tests, operators). Null when another replica holds it. */
  async runNight(): Promise<CheckpointRun | null> {
    return this.dataSource.transaction(async (tx) => {
      // The transaction only holds the lock, idle, while the units are verified on other connections (minutes
      // for a large municipality the first night): the service's idle-in-transaction limit must not end it.
      const [{ locked }] = await tx.query(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked, set_config('idle_in_transaction_session_timeout', '0', true)`,
        [JOB],
      );
      if (!locked) return null;
      const result = await this.verification.checkpointAll();
      this.logger.log(result, 'Verification checkpoints moved');
      return result;
    });
  }
}
