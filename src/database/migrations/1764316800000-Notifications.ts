import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders: who wants what through which channel, deputies, and the outbox every message passes
 * through. A reminder is written to the outbox under a unique key before anything is sent, so planning
 * the same reminder twice, on any number of replicas, yields one row and one message.
 */
export class Notifications1764316800000 implements MigrationInterface {
  name = 'Notifications1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE municipality ADD COLUMN due_soon_days integer NOT NULL DEFAULT 3 CHECK (due_soon_days BETWEEN 1 AND 60)`);
    await q.query(`ALTER TABLE municipality ADD COLUMN escalation_days integer NOT NULL DEFAULT 7 CHECK (escalation_days BETWEEN 1 AND 90)`);
    await q.query(`ALTER TABLE wheel ADD COLUMN due_soon_days integer CHECK (due_soon_days BETWEEN 1 AND 60)`);
    await q.query(`ALTER TABLE wheel ADD COLUMN escalation_days integer CHECK (escalation_days BETWEEN 1 AND 90)`);
    await q.query(`ALTER TABLE task_definition ADD COLUMN due_soon_days integer CHECK (due_soon_days BETWEEN 1 AND 60)`);
    await q.query(`ALTER TABLE task_definition ADD COLUMN escalation_days integer CHECK (escalation_days BETWEEN 1 AND 90)`);
    // A Teams Workflows webhook that posts the unit's monthly checklist to its channel.
    await q.query(`ALTER TABLE unit ADD COLUMN teams_webhook_url text CHECK (teams_webhook_url ~ '^https?://')`);

    await q.query(`
      CREATE TABLE notification_preference (
        person_id uuid PRIMARY KEY REFERENCES person(id),
        email boolean NOT NULL DEFAULT true,
        teams boolean NOT NULL DEFAULT false,
        daily_digest boolean NOT NULL DEFAULT false,
        language text NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
        CHECK (email OR teams)
      )`);
    await q.query(`
      CREATE TABLE deputy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        person_id uuid NOT NULL,
        deputy_id uuid NOT NULL,
        from_date date NOT NULL,
        to_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id),
        FOREIGN KEY (municipality_id, deputy_id) REFERENCES person(municipality_id, id),
        CHECK (person_id <> deputy_id),
        CHECK (from_date <= to_date)
      )`);
    await q.query(`CREATE INDEX deputy_person_idx ON deputy (person_id, from_date, to_date)`);
    // A deputy signs on behalf of an absent owner, and the record says so (part of the hashed content when set).
    await q.query(`ALTER TABLE sign_off ADD COLUMN on_behalf_of uuid REFERENCES person(id)`);
    await q.query(`ALTER TABLE sign_off ADD COLUMN on_behalf_of_name text`);

    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        -- (occurrence or digest, kind, person, channel, date): the same reminder is never queued twice.
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('monthly_checklist', 'opens', 'due_soon', 'due_today', 'overdue', 'escalation', 'daily_digest')),
        channel text NOT NULL CHECK (channel IN ('email', 'teams', 'teams_channel')),
        person_id uuid REFERENCES person(id),
        unit_id uuid REFERENCES unit(id),
        occurrence_id uuid REFERENCES occurrence(id),
        for_date date NOT NULL,
        address text NOT NULL,
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'undeliverable')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_due_idx ON notification (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX notification_occurrence_idx ON notification (occurrence_id)`);
    await q.query(`CREATE INDEX notification_status_idx ON notification (municipality_id, status, created_at)`);
    await q.query(`
      CREATE TABLE notification_item (
        notification_id uuid NOT NULL REFERENCES notification(id),
        occurrence_id uuid NOT NULL REFERENCES occurrence(id),
        PRIMARY KEY (notification_id, occurrence_id)
      )`);
    await q.query(`CREATE INDEX notification_item_occurrence_idx ON notification_item (occurrence_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_item`);
    await q.query(`DROP TABLE notification`);
    await q.query(`ALTER TABLE sign_off DROP COLUMN on_behalf_of_name`);
    await q.query(`ALTER TABLE sign_off DROP COLUMN on_behalf_of`);
    await q.query(`DROP TABLE deputy`);
    await q.query(`DROP TABLE notification_preference`);
    await q.query(`ALTER TABLE unit DROP COLUMN teams_webhook_url`);
    for (const table of ['task_definition', 'wheel', 'municipality']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN escalation_days`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN due_soon_days`);
    }
  }
}
