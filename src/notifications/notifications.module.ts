import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/app-config';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { createChannels } from './channels/channels.factory';
import { NotificationsController } from './controllers/notifications.controller';
import { NotificationSettingsService } from './services/notification-settings.service';
import { ChannelSet, CHANNELS, OutboxService } from './services/outbox.service';
import { ReminderPlanner } from './services/reminder-planner';
import { RemindersService } from './services/reminders.service';
import { MonthlyChecklists } from './services/monthly-checklists';
import { ReminderMornings } from './services/reminder-mornings';

/** Reminders by e-mail and Teams: planning, the outbox, channels, preferences and deputies. */
@Module({
  imports: [OccurrencesModule, AuthModule],
  controllers: [NotificationsController],
  providers: [
    { provide: CHANNELS, inject: [APP_CONFIG, Clock], useFactory: (config: AppConfig, clock: Clock) => createChannels(config, clock) },
    ReminderPlanner,
    MonthlyChecklists,
    ReminderMornings,
    OutboxService,
    RemindersService,
    NotificationSettingsService,
  ],
  exports: [RemindersService, OutboxService, CHANNELS, NotificationSettingsService],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(@Inject(CHANNELS) private readonly channels: ChannelSet) {}

  onApplicationShutdown(): void {
    for (const channel of Object.values(this.channels)) channel.close?.();
  }
}
