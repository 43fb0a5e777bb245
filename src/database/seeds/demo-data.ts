import { DataSource, EntityManager } from 'typeorm';

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
    [DEMO_PEOPLE.leder, 'Lars Enhetsleder', [['manager', boOgHabilitering]]],
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
    const [{ id }] = await tx.query(`INSERT INTO recipient (municipality_id, unit_id, code) VALUES ($1, $2, $3) RETURNING id`, [
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
}
