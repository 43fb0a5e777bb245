import { Module } from '@nestjs/common';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { OccurrencesController } from './controllers/occurrences.controller';
import { ChecklistService } from './services/checklist.service';
import { MaterialiseService } from './services/materialise.service';
import { NextYearJob } from './services/next-year.job';
import { OwnersService } from './services/owners.service';
import { RepeatChainService } from './services/repeat-chain.service';
import { SubtreeSummaryService } from './services/subtree-summary.service';

/** Dated occurrences of tasks: materialising, owners, checklists. */
@Module({
  imports: [MunicipalitiesModule],
  controllers: [OccurrencesController],
  providers: [MaterialiseService, OwnersService, ChecklistService, NextYearJob, RepeatChainService, SubtreeSummaryService],
  exports: [MaterialiseService, OwnersService, ChecklistService, RepeatChainService, SubtreeSummaryService],
})
export class OccurrencesModule {}
