import { Module } from '@nestjs/common';
import { ScheduleController } from './schedule.controller';

/** Recurrence, holidays and the preview endpoint. The rest of schedule/ is pure functions. */
@Module({ controllers: [ScheduleController] })
export class SchedulesModule {}
