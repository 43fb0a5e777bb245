import { Module } from '@nestjs/common';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { OccurrencesController } from './controllers/occurrences.controller';
import { ChecklistService } from './services/checklist.service';
import { MaterialiseService } from './services/materialise.service';
import { NextYearJob } from './services/next-year.job';
import { OwnersService } from './services/owners.service';

/** Dated occurrences of tasks: materialising, owners, checklists. */
@Module({
  imports: [MunicipalitiesModule],
  controllers: [OccurrencesController],
  providers: [MaterialiseService, OwnersService, ChecklistService, NextYearJob],
  exports: [MaterialiseService, OwnersService, ChecklistService],
})
export class OccurrencesModule {}
