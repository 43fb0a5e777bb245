import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { WheelImportController } from './wheel-import.controller';
import { WheelImportService } from './wheel-import.service';

/** Bringing a unit's wheel in from Word, Excel or pasted text, as a draft. */
@Module({
  imports: [AuthModule, MunicipalitiesModule],
  controllers: [WheelImportController],
  providers: [WheelImportService],
  exports: [WheelImportService],
})
export class WheelImportModule {}
