import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { loadDemoData } from './demo-data';

/** With DEMO_DATA=true (the development default), loads the demo municipality after the migrations. */
@Injectable()
export class DemoDataSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataSeeder.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    if (await loadDemoData(this.dataSource)) this.logger.log('Loaded the demo data: "Demo kommune"');
  }
}
