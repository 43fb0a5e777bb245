import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { MunicipalityController } from './controllers/municipality.controller';
import { PeopleController } from './controllers/people.controller';
import { RecipientDatesController } from './controllers/recipient-dates.controller';
import { RecipientsController } from './controllers/recipients.controller';
import { RolesController } from './controllers/roles.controller';
import { UnitsController } from './controllers/units.controller';
import { Person } from './entities/person.entity';
import { Recipient, RecipientPrimaryContact } from './entities/recipient.entity';
import { RoleAssignment } from './entities/role-assignment.entity';
import { Unit } from './entities/unit.entity';
import { MunicipalitiesModule } from './municipalities.module';
import { PeopleService } from './services/people.service';
import { RecipientDatesService } from './services/recipient-dates.service';
import { RecipientsService } from './services/recipients.service';
import { RolesService } from './services/roles.service';
import { UnitsService } from './services/units.service';

/** The unit tree, people, roles and service recipients of a municipality. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Unit, Person, RoleAssignment, Recipient, RecipientPrimaryContact]),
    MunicipalitiesModule,
    OccurrencesModule,
    AuthModule,
  ],
  controllers: [MunicipalityController, UnitsController, PeopleController, RolesController, RecipientsController, RecipientDatesController],
  providers: [UnitsService, PeopleService, RolesService, RecipientsService, RecipientDatesService],
  exports: [RolesService, RecipientsService, RecipientDatesService, PeopleService, UnitsService],
})
export class OrganisationModule {}
