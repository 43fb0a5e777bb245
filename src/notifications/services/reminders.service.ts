import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { outsideAnyMunicipality } from '../../auth/tenant-context';
import { DrainResult, OutboxService } from './outbox.service';
import { mornings, PlannedMessage, ReminderPlanner } from './reminder-planner';
import { ReminderMornings } from './reminder-mornings';

export interface PassResult extends DrainResult {
  planned: number;
  queued: number;
}

/**
 * One reminder pass: plan what is due at the clock's instant, queue it (once), send what is due.
 * @nestjs/schedule only wakes the pass; PostgreSQL's unique keys and row locks decide who sends what.
 */
@Injectable()
export class RemindersService implements OnApplicationShutdown {
  private readonly logger = new Logger(RemindersService.name);
  private running = false;

  constructor(
    private readonly planner: ReminderPlanner,
    private readonly outbox: OutboxService,
    private readonly mornings: ReminderMornings,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {
    if (config.reminders.enabled) {
      const timer = setInterval(() => void outsideAnyMunicipality(() => this.tick()), config.reminders.pollSeconds * 1000);
      this.scheduler.addInterval('reminders', timer);
    }
  }

  /**
   * `at` is the instant whose reminders are due — now, or a day an operator replays (npm run reminders --at).
   * Only what is due follows it: queueing, leases and retries keep to the real clock, so a replay and the
   * live workers share the outbox as any two replicas do.
   */
  async pass(at: Date = this.clock.now()): Promise<PassResult> {
    return this.metrics ? this.metrics.timed(this.metrics.reminderPassDuration, () => this.passNow(at)) : this.passNow(at);
  }

  private async passNow(at: Date): Promise<PassResult> {
    // What falls due today for each occurrence: every pass, every municipality (one statement each).
    const municipalities = await this.planner.municipalitiesAt(at);
    const planned = await this.planner.plan(at, { monthlyChecklists: false, municipalities });
    const queued = await this.outbox.enqueue(planned);
    // The first working day's checklists: each municipality's by the one replica that claims it.
    const morning = await this.mornings.run(mornings(municipalities));
    return { planned: planned.length + morning.planned, queued: queued + morning.queued, ...(await this.outbox.drain()) };
  }

  /** What a pass at that instant would queue, without queueing, claiming or sending anything. */
  dryRun(at: Date = this.clock.now()): Promise<PlannedMessage[]> {
    return this.planner.plan(at);
  }

  private async tick(): Promise<void> {
    if (this.running) return; // a slow pass is not overtaken by the next tick of the same process
    this.running = true;
    try {
      const result = await this.pass();
      if (result.queued || result.sent || result.failed) this.logger.log(result, 'Reminder pass');
    } catch (error) {
      this.logger.error({ err: { message: (error as Error).message } }, 'Reminder pass failed; tried again at the next tick');
    } finally {
      this.running = false;
    }
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', 'reminders')) this.scheduler.deleteInterval('reminders');
  }
}
