import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurrence counted from the last time (issue 14): a task may, instead of an RRULE, come due a duration
 * after its last completion (`repeat_after_completion`, an ISO 8601 duration such as P6M), optionally
 * counted at first from a date the recipient holds (`repeat_after_date`, e.g. 'vedtak kap. 9').
 * It runs after RecipientStay, which made rrule nullable and said a task has an RRULE or a deadline counted
 * from the stay (`task_definition_has_schedule`). A task now recurs in exactly one of three ways, so that
 * CHECK gives way to `task_definition_one_recurrence`: num_nonnulls(rrule, repeat_after_completion,
 * relative_to) = 1. RecipientStay's `task_definition_relative_check` still holds as it is (a task counted from
 * the stay is a recipient task without an RRULE; the new CHECK keeps it from repeating after completion).
 * Recipients hold their named dates in `named_dates` ({"vedtak kap. 9": "2027-01-15"}).
 */
export class RepeatAfterCompletion1766044800000 implements MigrationInterface {
  name = 'RepeatAfterCompletion1766044800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE task_definition
        ALTER COLUMN rrule DROP NOT NULL, -- already nullable since RecipientStay; harmless
        DROP CONSTRAINT task_definition_has_schedule,
        ADD COLUMN repeat_after_completion text CHECK (repeat_after_completion ~ '^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$'),
        ADD COLUMN repeat_after_date text CHECK (length(repeat_after_date) BETWEEN 1 AND 100),
        ADD CONSTRAINT task_definition_repeat_after_date_needs_duration CHECK (repeat_after_date IS NULL OR repeat_after_completion IS NOT NULL),
        ADD CONSTRAINT task_definition_one_recurrence CHECK (num_nonnulls(rrule, repeat_after_completion, relative_to) = 1)`);
    await q.query(`ALTER TABLE recipient ADD COLUMN named_dates jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(named_dates) = 'object')`);
    // A chain's occurrences are found through the unique (task, unit, recipient, scheduled_on) index.
  }

  /** Back to RecipientStay's schema: refused (by task_definition_has_schedule) while tasks repeating after completion exist. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recipient DROP COLUMN named_dates`);
    await q.query(`
      ALTER TABLE task_definition
        DROP CONSTRAINT task_definition_one_recurrence,
        DROP CONSTRAINT task_definition_repeat_after_date_needs_duration,
        DROP COLUMN repeat_after_date,
        DROP COLUMN repeat_after_completion,
        ADD CONSTRAINT task_definition_has_schedule CHECK (rrule IS NOT NULL OR relative_to IS NOT NULL)`);
  }
}
