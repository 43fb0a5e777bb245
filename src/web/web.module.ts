import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { WheelsModule } from '../wheels/wheels.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { OrganisationModule } from '../organisation/organisation.module';
import { RecordsModule } from '../records/records.module';
import { BulkSignController } from './bulk-sign/bulk-sign.controller';
import { WheelEditorController } from './wheel-editor/wheel-editor.controller';
import { TeamsController } from './teams/teams.controller';
import { WheelImportPagesModule } from './wheel-import/wheel-import-pages.module';
import { RecipientPagesController } from './recipients/recipients-pages.controller';
import { RecipientPagesData } from './recipients/recipients-pages.data';
import { CalendarPagesModule } from './calendar/calendar-pages.module';
import { SignInController } from './sign-in/sign-in.controller';
import { TasksController } from './tasks/tasks.controller';
import { ChecklistController } from './checklist/checklist.controller';
import { WheelController } from './wheel/wheel.controller';
import { InternalControlController } from './internal-control/internal-control.controller';
import { AdministrationController } from './administration/administration.controller';
import { PageFrame } from './page-frame';

/**
 * The pages people use, one folder per page area (its controller, data and HTML): sign in, my tasks with
 * one-step sign-off, the month's checklist, the wheel, internal control, administration and its editors.
 * They share the frame (page-frame.ts, chrome.ts, layout.ts), the dictionary (i18n.ts) and the form check (forms.ts).
 */
@Module({
  imports: [AuthModule, OccurrencesModule, MunicipalitiesModule, OrganisationModule, RecordsModule, AuditModule, WheelsModule, NotificationsModule, WheelImportPagesModule, CalendarPagesModule],
  controllers: [
    SignInController,
    TasksController,
    ChecklistController,
    WheelController,
    InternalControlController,
    AdministrationController,
    WheelEditorController,
    RecipientPagesController,
    BulkSignController,
    TeamsController,
  ],
  providers: [PageFrame, RecipientPagesData],
})
export class WebModule {}

/** Paths the web app serves outside the API's /api/v1 prefix. */
export const WEB_PATHS = ['/', 'logg-inn', 'logg-inn/tilbake', 'logg-inn/teams', 'teams', 'logg-ut', 'oppgaver', 'oppgaver/{*rest}', 'sjekkliste', 'arshjul', 'internkontroll', 'administrasjon', 'administrasjon/{*rest}', 'kalender', 'kalender/{*rest}'];
