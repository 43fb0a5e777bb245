import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Municipality } from './entities/municipality.entity';
import { MunicipalitiesService } from './services/municipalities.service';

/** The municipality's own settings (its time zone, hence "today"), needed by occurrences and organisation alike. */
@Module({
  imports: [TypeOrmModule.forFeature([Municipality])],
  providers: [MunicipalitiesService],
  exports: [MunicipalitiesService],
})
export class MunicipalitiesModule {}
