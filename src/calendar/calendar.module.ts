import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { CalendarFeedFileController } from './controllers/calendar-feed-file.controller';
import { CalendarFeedsController } from './controllers/calendar-feeds.controller';
import { CalendarFeedReader } from './services/calendar-feed-reader';
import { CalendarFeedsService } from './services/calendar-feeds.service';

/** Calendar feeds: secret, revocable iCalendar URLs of a person's or a unit's tasks, for Outlook. */
@Module({
  imports: [AuthModule, OccurrencesModule, MunicipalitiesModule],
  controllers: [CalendarFeedsController, CalendarFeedFileController],
  providers: [CalendarFeedsService, CalendarFeedReader],
  exports: [CalendarFeedsService],
})
export class CalendarModule {}
