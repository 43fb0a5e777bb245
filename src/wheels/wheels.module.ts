import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OccurrencesModule } from '../occurrences/occurrences.module';
import { MunicipalitiesModule } from '../organisation/municipalities.module';
import { AuthModule } from '../auth/auth.module';
import { TaskOptOutsController } from './controllers/task-opt-outs.controller';
import { PublishingService } from './services/publishing.service';
import { TaskOptOutsService } from './services/task-opt-outs.service';
import { UnitWheelsController } from './controllers/unit-wheels.controller';
import { WheelsController } from './controllers/wheels.controller';
import { TaskDefinition } from './entities/task-definition.entity';
import { Wheel } from './entities/wheel.entity';
import { WheelAssignment } from './entities/wheel-assignment.entity';
import { AssignmentsService } from './services/assignments.service';
import { TasksService } from './services/tasks.service';
import { WheelsService } from './services/wheels.service';

/** Wheels (årshjul): their owners, tasks, drafts and publishing, sharing between municipalities, assignment to units, and units' opt-outs of tasks. */
@Module({
  imports: [TypeOrmModule.forFeature([Wheel, TaskDefinition, WheelAssignment]), OccurrencesModule, MunicipalitiesModule, AuthModule],
  controllers: [WheelsController, UnitWheelsController, TaskOptOutsController],
  providers: [WheelsService, TasksService, AssignmentsService, PublishingService, TaskOptOutsService],
  exports: [WheelsService, TasksService, AssignmentsService, PublishingService, TaskOptOutsService],
})
export class WheelsModule {}
