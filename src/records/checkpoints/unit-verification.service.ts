import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { Metrics } from '../../metrics/metrics';
import { Checkpoint, RunQuery, UnitVerification, verifyUnit } from '../chain-verification';
import { TIME_STAMP_TRUST } from '../heads/chain-heads.service';
import { TimeStampTrust } from '../heads/time-stamp';

export interface CheckpointRun {
  /** Units with records that were verified from their last checkpoint (or from the first record). */
  units: number;
  /** Checkpoints appended: one per unit whose chain verified and moved since its last checkpoint. */
  checkpoints: number;
  /** Units whose verification found a problem: they get no checkpoint. */
  failed: number;
}

/**
 * Verifies a unit's records — from its last verified checkpoint (ordinary: the Internkontroll page, the API
 * without `full`) or from the first record (full) — and appends a checkpoint where a verification held. A
 * checkpoint says "the chain up to here verified on this day"; ordinary verification then reads only what
 * came after it, and checks that the checkpointed record itself is unchanged.
 */
@Injectable()
export class UnitVerificationService {
  private readonly logger = new Logger(UnitVerificationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(TIME_STAMP_TRUST) private readonly trust: TimeStampTrust | null,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /**
   * Ordinary verification starts from the unit's last checkpoint; without one it is full. A full verification
   * that holds leaves a checkpoint at the head it verified (`full`), so the pages start there afterwards.
   */
  async verify(unitId: string, { full = false }: { full?: boolean } = {}): Promise<UnitVerification> {
    const run: RunQuery = (sql, parameters) => this.dataSource.query(sql, parameters);
    const traceSeen = full ? await lastTraceId(run) : 0;
    const from = full ? null : await lastCheckpoint(unitId, run);
    const report = await verifyUnit(unitId, run, this.trust, from);
    if (!report.valid) this.metrics?.chainVerificationsFailed.inc();
    else if (full) await this.append(unitId, report, 'full', traceSeen);
    return report;
  }

  /**
   * The nightly work: every unit with records is verified from its last checkpoint, and where that holds a
   * checkpoint is appended at the head verified. A unit that fails gets none, is logged and counted (the
   * failed-verifications metric), and is verified from the same checkpoint again the next night.
   */
  async checkpointAll(): Promise<CheckpointRun> {
    const units: Array<{ unit_id: string }> = await this.dataSource.query(
      `SELECT u.id AS unit_id FROM unit u WHERE EXISTS (SELECT 1 FROM sign_off s WHERE s.unit_id = u.id) ORDER BY u.municipality_id, u.id`,
    );
    const result: CheckpointRun = { units: 0, checkpoints: 0, failed: 0 };
    const run: RunQuery = (sql, parameters) => this.dataSource.query(sql, parameters);
    for (const { unit_id: unitId } of units) {
      result.units++;
      const traceSeen = await lastTraceId(run);
      const from = await lastCheckpoint(unitId, run);
      const report = await verifyUnit(unitId, run, this.trust, from);
      if (!report.valid) {
        result.failed++;
        this.metrics?.chainVerificationsFailed.inc();
        this.logger.error(
          {
            unitId,
            from: from ? { sequence: from.sequence, verifiedAt: from.verifiedAt } : null,
            problemCount: report.problemCount,
            headProblemCount: report.headProblemCount,
            standingProblemCount: report.standingProblemCount,
            firstProblem: report.firstProblem?.detail ?? report.headProblems[0]?.detail ?? report.standingProblems[0]?.detail,
          },
          'A unit’s records did not verify: no new checkpoint. Run npm run verify -- --unit <id> for the whole report',
        );
        continue;
      }
      if (await this.append(unitId, report, 'nightly', traceSeen)) result.checkpoints++;
    }
    return result;
  }

  /**
   * A checkpoint at the head the verification reached — the record there, with the hash verified — unless the
   * unit has one at or beyond it already (another replica, or nothing signed since). Records signed while it ran
   * come after this place and are verified next time.
   */
  private async append(unitId: string, report: UnitVerification, by: Checkpoint['verifiedBy'], traceSeen: number): Promise<boolean> {
    if (!report.chainHead || report.records === 0) return false;
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO verification_checkpoint (municipality_id, unit_id, sequence, record_id, hash, verified_at, verified_by, occurrence_change_id)
       SELECT s.municipality_id, s.unit_id, s.sequence, s.id, s.hash, $4, $5, $6
         FROM sign_off s
        WHERE s.unit_id = $1 AND s.sequence = $2 AND s.hash = $3
          AND NOT EXISTS (SELECT 1 FROM verification_checkpoint c WHERE c.unit_id = $1 AND c.sequence >= $2)
       ON CONFLICT (unit_id, sequence) DO NOTHING
       RETURNING sequence`,
      [unitId, report.records, report.chainHead, this.clock.now(), by, traceSeen],
    );
    return rows.length > 0;
  }
}

/** The unit's last checkpoint: the furthest place in its chain verified. */
export async function lastCheckpoint(unitId: string, run: RunQuery): Promise<Checkpoint | null> {
  const [row] = await run<{ sequence: string; record_id: string; hash: string; verified_at: Date; verified_by: Checkpoint['verifiedBy']; occurrence_change_id: string }>(
    `SELECT sequence, record_id, hash, verified_at, verified_by, occurrence_change_id
       FROM verification_checkpoint WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`,
    [unitId],
  );
  if (!row) return null;
  return {
    sequence: Number(row.sequence),
    recordId: row.record_id,
    hash: row.hash,
    verifiedAt: new Date(row.verified_at).toISOString(),
    verifiedBy: row.verified_by,
    occurrenceChangeId: Number(row.occurrence_change_id),
  };
}

/**
 * The newest row of the occurrence trace, read before verifying: what a checkpoint made by this verification
 * has seen. A change traced after it is checked from that checkpoint on.
 */
async function lastTraceId(run: RunQuery): Promise<number> {
  const [{ id }] = await run<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM occurrence_change`, []);
  return Number(id);
}
