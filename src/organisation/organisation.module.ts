import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitsController } from './controllers/units.controller';
import { Municipality } from './entities/municipality.entity';
import { Person } from './entities/person.entity';
import { Recipient, RecipientPrimaryContact } from './entities/recipient.entity';
import { RoleAssignment } from './entities/role-assignment.entity';
import { Unit } from './entities/unit.entity';
import { UnitsService } from './services/units.service';

/** Municipalities, the unit tree, people, roles and service recipients. */
@Module({
  imports: [TypeOrmModule.forFeature([Municipality, Unit, Person, RoleAssignment, Recipient, RecipientPrimaryContact])],
  controllers: [UnitsController],
  providers: [UnitsService],
  exports: [UnitsService],
})
export class OrganisationModule {}
