import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { NotificationsModule } from '../../notifications/notifications.module';
import { ChainHeadsJob } from './chain-heads.job';
import { ChainHeadsService, TIME_STAMP_TRUST } from './chain-heads.service';
import { loadTimeStampTrust } from './time-stamp';

/**
 * Chain heads that leave the building: noted nightly, time-stamped by an RFC 3161 authority when one is
 * configured, and mailed weekly to the quality advisers. The trusted TSA certificate is read at boot, from
 * a file outside the database, so that whoever can rewrite the database cannot also choose whom to trust.
 */
@Module({
  imports: [NotificationsModule],
  providers: [
    { provide: TIME_STAMP_TRUST, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.tsaCertFile ? loadTimeStampTrust(config.tsaCertFile) : null) },
    ChainHeadsService,
    ChainHeadsJob,
  ],
  exports: [ChainHeadsService, ChainHeadsJob, TIME_STAMP_TRUST],
})
export class ChainHeadsModule {}
