import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { typeOrmOptions } from './typeorm-options';

/** Connects to PostgreSQL and runs pending migrations before the service takes requests. */
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return { module: DatabaseModule, imports: [TypeOrmModule.forRoot(typeOrmOptions(databaseUrl))] };
  }
}
