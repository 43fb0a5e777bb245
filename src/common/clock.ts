import { DynamicModule, Global, Module } from '@nestjs/common';

/**
 * The only reader of the system clock. Tests and the operators' replay command provide another time;
 * nothing else calls `new Date()` to decide what is due, late or overdue.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved: for tests and for replaying a day. */
export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = new Date(instant);
  }
}

@Global()
@Module({})
export class ClockModule {
  /** The system clock, unless a command replays another instant. */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
