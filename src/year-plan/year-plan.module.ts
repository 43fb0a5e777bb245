import { Module } from '@nestjs/common';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { YearPlanController } from './year-plan.controller';
import { YearPlanRenderer } from './year-plan.renderer';
import { YearPlanService } from './year-plan.service';

/** The year printed as the table units know: PDF, Word and Excel. */
@Module({
  imports: [MunicipalitiesModule],
  controllers: [YearPlanController],
  providers: [YearPlanService, YearPlanRenderer],
})
export class YearPlanModule {}
