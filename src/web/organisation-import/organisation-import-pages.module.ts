import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { OrganisationImportModule } from '../../organisation-import/organisation-import.module';
import { OrganisationImportPagesController } from './organisation-import.controller';
import { OrganisationUploadMiddleware } from './upload.middleware';

/** The organisation import page of the web app (under Administrasjon). */
@Module({
  imports: [AuthModule, OrganisationImportModule],
  controllers: [OrganisationImportPagesController],
})
export class OrganisationImportPagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(OrganisationUploadMiddleware).forRoutes({ path: 'administrasjon/organisasjon', method: RequestMethod.POST });
  }
}
