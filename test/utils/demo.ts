import { DataSource } from 'typeorm';

/** Looks up the demo data by the names a user sees. */
export async function unitId(db: DataSource, name: string): Promise<string> {
  const [row] = await db.query(`SELECT id FROM unit WHERE name = $1`, [name]);
  if (!row) throw new Error(`No unit ${name}`);
  return row.id;
}

export async function personId(db: DataSource, email: string): Promise<string> {
  const [row] = await db.query(`SELECT id FROM person WHERE email = $1`, [email]);
  if (!row) throw new Error(`No person ${email}`);
  return row.id;
}

export async function wheelId(db: DataSource, name: string): Promise<string> {
  const [row] = await db.query(`SELECT id FROM wheel WHERE name = $1`, [name]);
  if (!row) throw new Error(`No wheel ${name}`);
  return row.id;
}

export async function count(db: DataSource, table: string, where = 'TRUE', parameters: unknown[] = []): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, parameters);
  return row.n;
}

export const LEDERE = 'Årshjul for ledere — bo og habilitering';
export const PRIMAERKONTAKTER = 'Årshjul for primærkontakter';

/** The row of seed 003's February block that names its own deadline: due 1 March, so in March's checklist. */
export const VACATION_WISHES = 'Ansatte registrerer ferieønsker i VFR, frist 1. mars.';
export const MEDICINES_SELF_ASSESSMENT =
  'Ansvar for at det blir utført egenvurdering av legemiddelhåndteringsrutinene (Se Compilo: Egenvurdering av legemiddelhåndteringsrutiner)';
export const WORK_ENVIRONMENT = 'Kartlegging av arbeidsmiljøet og arbeidsmiljøarbeidet (Skjema på Compilo)';

/** The February rows of seed 003's managers' wheel, whole (the typo "ferieansker" corrected). */
export const SEED_FEBRUARY_ROWS = [
  'Kontakt tidligere sommervikarer og meld inn behov for vikarer i skjema på Teams',
  'Påske-/mai-/pinseturnus planlegges',
  MEDICINES_SELF_ASSESSMENT,
  VACATION_WISHES,
  'Kalle inn til medarbeidersamtaler i Kompetanseportalen',
  'Kalle inn til seniorsamtaler',
  'Påse at årskontroll hos fastlege blir bestilt',
  WORK_ENVIRONMENT,
  'Planlegg HMS-dag',
];

/** A second municipality with one unit and an administrator, for sharing and isolation tests. */
export async function createMunicipality(db: DataSource, name: string, adminEmail: string): Promise<{ municipalityId: string; unitId: string }> {
  const [{ id: municipalityId }] = await db.query(`INSERT INTO municipality (name) VALUES ($1) RETURNING id`, [name]);
  const [{ id: unit }] = await db.query(`INSERT INTO unit (municipality_id, name) VALUES ($1, 'Helse og omsorg') RETURNING id`, [municipalityId]);
  const [{ id: person }] = await db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, $2, 'Admin') RETURNING id`, [
    municipalityId,
    adminEmail,
  ]);
  await db.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'admin')`, [municipalityId, person, unit]);
  return { municipalityId, unitId: unit };
}
