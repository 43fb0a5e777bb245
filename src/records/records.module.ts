import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { SignOffsController } from './controllers/sign-offs.controller';
import { SignOffsService } from './services/sign-offs.service';

/** Signed completion records (utført / signert): signing, corrections, the hash chain. */
@Module({
  imports: [AuthModule, OccurrencesModule],
  controllers: [SignOffsController],
  providers: [SignOffsService],
  exports: [SignOffsService],
})
export class RecordsModule {}
