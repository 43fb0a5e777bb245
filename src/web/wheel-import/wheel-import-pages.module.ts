import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { PageFrame } from '../page-frame';
import { MunicipalitiesModule } from '../../organisation/municipalities.module';
import { WheelImportModule } from '../../wheel-import/wheel-import.module';
import { WheelImportPagesController } from './wheel-import.controller';
import { UploadMiddleware } from './upload.middleware';

/** The import page of the web app (under Administrasjon). */
@Module({
  imports: [AuthModule, MunicipalitiesModule, WheelImportModule],
  controllers: [WheelImportPagesController],
  providers: [PageFrame],
})
export class WheelImportPagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(UploadMiddleware).forRoutes({ path: 'administrasjon/import', method: RequestMethod.POST });
  }
}
