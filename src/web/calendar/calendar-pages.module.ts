import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { PageFrame } from '../page-frame';
import { CalendarModule } from '../../calendar/calendar.module';
import { CalendarPagesController } from './calendar-pages.controller';

/** «Abonner i Outlook»: the calendar feeds' page, linked from Mine oppgaver. */
@Module({
  imports: [AuthModule, CalendarModule],
  controllers: [CalendarPagesController],
  providers: [PageFrame],
})
export class CalendarPagesModule {}
