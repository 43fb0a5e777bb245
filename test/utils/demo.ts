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

/** The February rows of seed 003's managers' wheel, as PRODUCT.md lists them. */
export const SEED_FEBRUARY_ROWS = [
  'Kontakt tidligere sommervikarer og meld inn behov for vikarer i skjema på Teams',
  'Påske-/mai-/pinseturnus planlegges',
  'Egenvurdering av legemiddelhåndteringsrutinene (Compilo)',
  'Ansatte registrerer ferieønsker i VFR, frist 1. mars',
  'Kalle inn til medarbeidersamtaler i Kompetanseportalen',
  'Kalle inn til seniorsamtaler',
  'Påse at årskontroll hos fastlege blir bestilt',
  'Kartlegging av arbeidsmiljøet og arbeidsmiljøarbeidet (Compilo)',
  'Planlegg HMS-dag',
];
