import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { CalendarModule } from '../../calendar/calendar.module';
import { CalendarPagesController } from './calendar-pages.controller';

/** «Abonner i Outlook»: the calendar feeds' page, linked from Mine oppgaver. */
@Module({
  imports: [AuthModule, CalendarModule],
  controllers: [CalendarPagesController],
})
export class CalendarPagesModule {}
