import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AccessLogInterceptor } from './audit/access-log';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuthModule } from './auth/auth.module';
import { RateLimitModule } from './auth/rate-limit.module';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoDataModule } from './database/seeds/demo-data.module';
import { HealthModule } from './health/health.module';
import { OrganisationModule } from './organisation/organisation.module';
import { ScheduleModule } from '@nestjs/schedule';
import { Clock, ClockModule } from './common/clock';
import { OccurrencesModule } from './occurrences/occurrences.module';
import { SchedulesModule } from './schedule/schedule.module';
import { WheelsModule } from './wheels/wheels.module';
import { WheelImportModule } from './wheel-import/wheel-import.module';
import { OrganisationImportModule } from './organisation-import/organisation-import.module';
import { RecordsModule } from './records/records.module';
import { AuditModule } from './audit/audit.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ChainHeadsModule } from './records/heads/chain-heads.module';
import { WebModule } from './web/web.module';
import { AuditLogModule } from './audit/audit-log.service';
import { YearPlanModule } from './year-plan/year-plan.module';
import { CalendarModule } from './calendar/calendar.module';
import { MetricsModule } from './metrics/metrics.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Another time than the system's, for `npm run reminders -- --at`. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register({ config, databaseUrl, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Every path, in the syntax of Nest 11's router (the default '*' is the old syntax).
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            // The id was assigned by the first middleware (see app.setup.ts).
            genReqId: (req: IncomingMessage) => req.id ?? randomUUID(),
            // Never log tokens or cookies; pino-http does not log bodies, and we keep it that way.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
            },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
          },
        }),
        DatabaseModule.forRoot(databaseUrl, config),
        ScheduleModule.forRoot(),
        ClockModule.forRoot(clock),
        AuditLogModule,
        MetricsModule,
        HealthModule,
        // Before AuthModule: its guard runs first, so floods of bad tokens are limited too.
        RateLimitModule,
        AuthModule,
        OrganisationModule,
        SchedulesModule,
        WheelImportModule,
        OrganisationImportModule,
        WheelsModule,
        OccurrencesModule,
        RecordsModule,
        AuditModule,
        NotificationsModule,
        ChainHeadsModule,
        YearPlanModule,
        CalendarModule,
        WebModule,
        DemoDataModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
      ],
    };
  }
}
