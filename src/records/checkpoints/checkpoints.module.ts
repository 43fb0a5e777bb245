import { Module } from '@nestjs/common';
import { ChainHeadsModule } from '../heads/chain-heads.module';
import { CheckpointsJob } from './checkpoints.job';
import { UnitVerificationService } from './unit-verification.service';

/**
 * Verification of a unit's records, from its last verified checkpoint or in full, and the nightly job that
 * moves the checkpoints (see the VerificationCheckpoints migration). The trusted TSA certificate comes from
 * ChainHeadsModule, read at boot from outside the database.
 */
@Module({
  imports: [ChainHeadsModule],
  providers: [UnitVerificationService, CheckpointsJob],
  exports: [UnitVerificationService, CheckpointsJob],
})
export class CheckpointsModule {}
