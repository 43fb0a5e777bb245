import { Module } from '@nestjs/common';
import { OccurrencesModule } from '../../occurrences/occurrences.module';
import { MunicipalitiesModule } from '../../organisation/municipalities.module';
import { DemoDataSeeder } from './demo-data.seeder';

@Module({ imports: [OccurrencesModule, MunicipalitiesModule], providers: [DemoDataSeeder] })
export class DemoDataModule {}
