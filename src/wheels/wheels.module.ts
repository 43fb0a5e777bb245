import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { UnitWheelsController } from './controllers/unit-wheels.controller';
import { WheelsController } from './controllers/wheels.controller';
import { TaskDefinition } from './entities/task-definition.entity';
import { Wheel } from './entities/wheel.entity';
import { WheelAssignment } from './entities/wheel-assignment.entity';
import { AssignmentsService } from './services/assignments.service';
import { TasksService } from './services/tasks.service';
import { WheelsService } from './services/wheels.service';

/** Wheels (årshjul), their tasks, sharing between municipalities, and assignment to units. */
@Module({
  imports: [TypeOrmModule.forFeature([Wheel, TaskDefinition, WheelAssignment]), OccurrencesModule, MunicipalitiesModule],
  controllers: [WheelsController, UnitWheelsController],
  providers: [WheelsService, TasksService, AssignmentsService],
  exports: [WheelsService, TasksService, AssignmentsService],
})
export class WheelsModule {}
