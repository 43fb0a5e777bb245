import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { OrganisationModule } from '../organisation/organisation.module';
import { OrganisationImportController } from './organisation-import.controller';
import { OrganisationImportService } from './organisation-import.service';

/** Units and people brought in from the CSV that HR and the org chart export. */
@Module({
  imports: [AuthModule, OrganisationModule, OccurrencesModule],
  controllers: [OrganisationImportController],
  providers: [OrganisationImportService],
  exports: [OrganisationImportService],
})
export class OrganisationImportModule {}
