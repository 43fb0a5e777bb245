import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBySystem } from '../../occurrences/occurrence-change';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { DEMO_MUNICIPALITY, loadDemoData } from './demo-data';

/**
 * With DEMO_DATA=true (the development default), loads the demo municipality after the migrations and
 * materialises this year and the next, so the checklists have something to show at once.
 */
@Injectable()
export class DemoDataSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataSeeder.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || !(await loadDemoData(this.dataSource))) return;
    const [root] = await this.dataSource.query(
      `SELECT u.id, u.municipality_id FROM unit u JOIN municipality m ON m.id = u.municipality_id WHERE m.name = $1 AND u.parent_id IS NULL`,
      [DEMO_MUNICIPALITY],
    );
    const year = Number((await this.municipalities.today(root.municipality_id)).slice(0, 4));
    for (const y of [year, year + 1]) await this.materialiser.materialise(root.municipality_id, root.id, y, causedBySystem('demo-data'));
    this.logger.log(`Loaded the demo data: "${DEMO_MUNICIPALITY}", with ${year} and ${year + 1} materialised`);
  }
}
