import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unit tree stays a tree, in the database itself. Two crossing moves (A under B, B under A) would each
 * pass a check made before the other commits; so a move takes its municipality's tree lock (the same
 * transaction-level advisory lock as UnitsService) and only then walks up from the new parent, in a
 * snapshot of its own taken after the lock (a VOLATILE function's statements each take one), which sees
 * every move committed before. A move that would put a unit under itself is refused, from the service,
 * `psql` or a migration alike.
 */
export class UnitTreeGuards1765440000000 implements MigrationInterface {
  name = 'UnitTreeGuards1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION unit_refuse_cycle() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('unit-tree:' || NEW.municipality_id::text, 0));
        IF EXISTS (
          WITH RECURSIVE line AS (   -- UNION: the walk ends even on a cycle made with triggers off
            SELECT id, parent_id FROM unit WHERE id = NEW.parent_id
            UNION
            SELECT u.id, u.parent_id FROM unit u JOIN line ON u.id = line.parent_id
          )
          SELECT 1 FROM line WHERE id = NEW.id
        ) THEN
          RAISE EXCEPTION 'unit % cannot be moved under itself or a unit below it', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'unit_tree_no_cycle';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER unit_tree_no_cycle BEFORE UPDATE OF parent_id ON unit
        FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL AND NEW.parent_id IS DISTINCT FROM OLD.parent_id)
        EXECUTE FUNCTION unit_refuse_cycle()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER unit_tree_no_cycle ON unit`);
    await q.query(`DROP FUNCTION unit_refuse_cycle()`);
  }
}
