import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { CheckpointsModule } from '../records/checkpoints/checkpoints.module';
import { ChainHeadsModule } from '../records/heads/chain-heads.module';
import { AuditController } from './controllers/audit.controller';
import { InspectionReportRenderer } from './report/inspection-report.renderer';
import { InspectionReportService } from './report/inspection-report.service';
import { AuditService } from './services/audit.service';

/** Internal control as quality advisers read it: records, verification, compliance, exports, the inspection report. */
@Module({
  imports: [AuthModule, MunicipalitiesModule, ChainHeadsModule, CheckpointsModule],
  controllers: [AuditController],
  providers: [AuditService, InspectionReportService, InspectionReportRenderer],
  exports: [AuditService],
})
export class AuditModule {}
