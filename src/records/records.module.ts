import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { SignOffsController } from './controllers/sign-offs.controller';
import { SignOffBatchService } from './services/sign-off-batch.service';
import { SignOffsService } from './services/sign-offs.service';

/** Signed completion records (utført / signert): signing, corrections, the hash chain. */
@Module({
  imports: [AuthModule, OccurrencesModule],
  controllers: [SignOffsController],
  providers: [SignOffsService, SignOffBatchService],
  exports: [SignOffsService, SignOffBatchService],
})
export class RecordsModule {}
