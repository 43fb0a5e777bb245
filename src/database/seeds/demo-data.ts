import { DataSource, EntityManager } from 'typeorm';
import { LibraryWheel, WHEEL_LIBRARY } from '../../wheels/library/wheel-library';

export const DEMO_MUNICIPALITY = 'Demo kommune';

/** The demo people; examples in the README and the tests use these addresses. */
export const DEMO_PEOPLE = {
  admin: 'admin@demo.kommune.no',
  leder: 'leder@demo.kommune.no',
  avdelingsleder: 'avdelingsleder@demo.kommune.no',
  primaer: 'primaer@demo.kommune.no',
  ansatt: 'ansatt@demo.kommune.no',
  kvalitet: 'kvalitet@demo.kommune.no',
} as const;

/**
 * Loads "Demo kommune" once: the unit tree of seed 003's bo- og habiliteringstjeneste, six people and ten
 * service recipients known by pseudonymous codes. Safe to call on every start and from several replicas.
 */
export async function loadDemoData(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (tx) => {
    // Two replicas starting together: the second waits here, then sees the data and does nothing.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('arshjul:demo-data'))`);
    const [existing] = await tx.query(`SELECT id FROM municipality WHERE name = $1`, [DEMO_MUNICIPALITY]);
    if (existing) return false;
    await insertDemoMunicipality(tx);
    return true;
  });
}

async function insertDemoMunicipality(tx: EntityManager): Promise<void> {
  const [{ id: municipalityId }] = await tx.query(
    `INSERT INTO municipality (name, time_zone) VALUES ($1, 'Europe/Oslo') RETURNING id`,
    [DEMO_MUNICIPALITY],
  );
  const unit = async (name: string, parentId: string | null): Promise<string> => {
    const [row] = await tx.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id`, [
      municipalityId,
      parentId,
      name,
    ]);
    return row.id;
  };
  const helseOgOmsorg = await unit('Helse og omsorg', null);
  const boOgHabilitering = await unit('Bo og habilitering', helseOgOmsorg);
  const fjellvegen = await unit('Avdeling Fjellvegen', boOgHabilitering);
  await unit('Avdeling Sjøgata', boOgHabilitering);
  await unit('Avdeling Åsen', boOgHabilitering);

  const people: Array<[email: string, name: string, roles: Array<[role: string, unitId: string]>]> = [
    [DEMO_PEOPLE.admin, 'Ada Administrator', [['admin', helseOgOmsorg]]],
    [DEMO_PEOPLE.leder, 'Lars Enhetsleder', [['manager', boOgHabilitering], ['resource_team', boOgHabilitering]]],
    [DEMO_PEOPLE.avdelingsleder, 'Anne Avdelingsleder', [['manager', fjellvegen]]],
    [DEMO_PEOPLE.primaer, 'Per Primærkontakt', [['staff', fjellvegen], ['primary_contact', fjellvegen]]],
    [DEMO_PEOPLE.ansatt, 'Siri Ansatt', [['staff', fjellvegen]]],
    [DEMO_PEOPLE.kvalitet, 'Kari Kvalitetsrådgiver', [['quality_adviser', helseOgOmsorg]]],
  ];
  const personIds = new Map<string, string>();
  for (const [email, displayName, roles] of people) {
    const [{ id }] = await tx.query(
      `INSERT INTO person (municipality_id, email, display_name) VALUES ($1, $2, $3) RETURNING id`,
      [municipalityId, email, displayName],
    );
    personIds.set(email, id);
    for (const [role, unitId] of roles) {
      await tx.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, $4)`, [
        municipalityId,
        id,
        unitId,
        role,
      ]);
    }
  }

  // Pseudonymous codes only: no names, no fødselsnummer.
  for (let n = 1; n <= 10; n++) {
    const code = `FJV-${String(n).padStart(3, '0')}`;
    const [{ id }] = await tx.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, '2026-01-01') RETURNING id`, [
      municipalityId,
      fjellvegen,
      code,
    ]);
    await tx.query(`INSERT INTO recipient_primary_contact (municipality_id, recipient_id, person_id) VALUES ($1, $2, $3)`, [
      municipalityId,
      id,
      personIds.get(DEMO_PEOPLE.primaer),
    ]);
  }

  // The planning cycle is the unit head's input to the municipality's plans and budget: Bo og habilitering's.
  await insertLibraryWheels(tx, municipalityId, {
    [boOgHabilitering]: ['ledere', 'primaerkontakter', 'fag-og-kompetanse', 'kompetanse-og-innovasjonstilskudd', 'ressursfordeling', 'kommunal-plansyklus'],
  });
}

/** Wheels that apply to every unit below the one they are assigned to. */
const INHERITED = new Set(['ledere', 'primaerkontakter', 'fag-og-kompetanse']);

/** The seed wheels, published so other municipalities can copy them, and assigned to the demo units from 2026. */
async function insertLibraryWheels(tx: EntityManager, municipalityId: string, assignments: Record<string, string[]>): Promise<void> {
  const wheelIds = new Map<string, string>();
  for (const wheel of WHEEL_LIBRARY) wheelIds.set(wheel.key, await insertLibraryWheel(tx, municipalityId, wheel, true));
  for (const [unitId, keys] of Object.entries(assignments)) {
    for (const key of keys) {
      await tx.query(`INSERT INTO wheel_assignment (municipality_id, wheel_id, unit_id, include_subunits, from_year) VALUES ($1, $2, $3, $4, 2026)`, [
        municipalityId,
        wheelIds.get(key),
        unitId,
        INHERITED.has(key),
      ]);
    }
  }
}

/** One seed wheel with its tasks, as the library has it; `published` lets other municipalities copy it. */
export async function insertLibraryWheel(tx: EntityManager, municipalityId: string, wheel: LibraryWheel, published: boolean): Promise<string> {
  const [{ id }] = await tx.query(
    `INSERT INTO wheel (municipality_id, name, kind, description, published) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [municipalityId, wheel.name, wheel.kind, wheel.description, published],
  );
  for (const [order, task] of wheel.tasks.entries()) {
    await tx.query(
      `INSERT INTO task_definition (municipality_id, wheel_id, title, description, rrule, starts_on, opens_days_before, deadline_shift,
                                    responsible_role, stored_in, comment_required, legal_basis, scope, sort_order, source_month, example)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        municipalityId, id, task.title, task.description ?? null, task.rrule, task.startsOn ?? '2025-01-01', task.opensDaysBefore ?? 14,
        task.deadlineShift ?? 'none', task.responsibleRole, task.storedIn ?? null, task.commentRequired ?? false,
        task.legalBasis ?? null, task.scope ?? 'unit', order, task.sourceMonth ?? null, task.example ?? false,
      ],
    );
  }
  return id;
}
