import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { ChainHeadsModule } from '../records/heads/chain-heads.module';
import { AuditController } from './controllers/audit.controller';
import { AuditService } from './services/audit.service';

/** Internal control as quality advisers read it: records, verification, compliance, exports. */
@Module({
  imports: [AuthModule, MunicipalitiesModule, ChainHeadsModule],
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
