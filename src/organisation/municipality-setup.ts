import { EntityManager } from 'typeorm';
import { normaliseText, textFault } from '../common/text';
import { insertLibraryWheel } from '../database/seeds/demo-data';
import { WHEEL_LIBRARY } from '../wheels/library/wheel-library';

/** What `npm run setup` asks for: a municipality, its Entra tenant and its first administrator. */
export interface MunicipalitySetup {
  municipality: string;
  tenantId: string;
  adminEmail: string;
  adminName?: string;
  /** Only checked against an existing municipality when given; a new one gets Europe/Oslo without it. */
  timeZone?: string;
  library: boolean;
}

export interface SetupOutcome {
  municipalityId: string;
  /** What was created, in words; empty when everything was already as asked. */
  changes: string[];
}

/** The request cannot be carried out as asked: it contradicts what is there. Nothing was changed. */
export class SetupConflict extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why the request is malformed (a usage error, before any database work), or undefined. */
export function setupInputFault(request: MunicipalitySetup): string | undefined {
  const name = normaliseText(request.municipality);
  if (!name || name.length > 120) return '--municipality must be the municipality\'s name, 1 to 120 characters';
  const fault = textFault(name) ?? (request.adminName ? textFault(request.adminName) : undefined);
  if (fault) return `--municipality or --name ${fault}`;
  if (!TENANT.test(request.tenantId)) return '--tenant must be the Entra ID tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)';
  if (!EMAIL.test(request.adminEmail) || request.adminEmail.length > 254) return '--admin must be the first administrator\'s e-mail address';
  if (request.timeZone !== undefined && !isTimeZone(request.timeZone)) return `--time-zone must be an IANA time zone such as Europe/Oslo, not "${request.timeZone}"`;
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/**
 * Creates what is missing of the municipality, its root unit, its first administrator (holding `admin` on
 * the root unit: a role is always held in a unit) and, if asked, its own unpublished copies of the seed
 * wheels. Whatever exists and agrees is left alone, so a second run changes nothing; whatever exists and
 * disagrees (another tenant, another time zone, the tenant taken by another municipality, an archived
 * administrator) is a SetupConflict, and the transaction leaves everything as it was.
 */
export async function setUpMunicipality(tx: EntityManager, request: MunicipalitySetup): Promise<SetupOutcome> {
  // Two runs at once: the second waits here, then finds the first one's work.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('arshjul:municipality-setup'))`);
  const name = normaliseText(request.municipality);
  const tenantId = request.tenantId.toLowerCase();
  const changes: string[] = [];

  const [tenantHolder] = await tx.query(`SELECT id, name FROM municipality WHERE lower(entra_tenant_id) = $1`, [tenantId]);
  const existing: Array<{ id: string; entra_tenant_id: string | null; time_zone: string }> = await tx.query(
    `SELECT id, entra_tenant_id, time_zone FROM municipality WHERE name = $1 ORDER BY created_at`,
    [name],
  );
  if (existing.length > 1) throw new SetupConflict(`There are ${existing.length} municipalities named "${name}"; set this one up by hand.`);
  let municipality = existing[0];
  if (tenantHolder && tenantHolder.id !== municipality?.id) {
    throw new SetupConflict(`The Entra tenant ${tenantId} already belongs to "${tenantHolder.name}". A tenant signs in to one municipality.`);
  }
  if (municipality) {
    if (municipality.entra_tenant_id && municipality.entra_tenant_id.toLowerCase() !== tenantId) {
      throw new SetupConflict(`"${name}" exists with the Entra tenant ${municipality.entra_tenant_id}, not ${tenantId}. Nothing was changed.`);
    }
    if (request.timeZone && municipality.time_zone !== request.timeZone) {
      throw new SetupConflict(`"${name}" exists with the time zone ${municipality.time_zone}, not ${request.timeZone}. Nothing was changed.`);
    }
    if (!municipality.entra_tenant_id) {
      await tx.query(`UPDATE municipality SET entra_tenant_id = $2 WHERE id = $1`, [municipality.id, tenantId]);
      changes.push(`gave "${name}" the Entra tenant ${tenantId}`);
    }
  } else {
    [municipality] = await tx.query(
      `INSERT INTO municipality (name, time_zone, entra_tenant_id) VALUES ($1, $2, $3) RETURNING id, entra_tenant_id, time_zone`,
      [name, request.timeZone ?? 'Europe/Oslo', tenantId],
    );
    changes.push(`created the municipality "${name}" (time zone ${municipality.time_zone}, Entra tenant ${tenantId})`);
  }
  const municipalityId = municipality.id;

  // The administrator's role needs a unit to be held in: the municipality itself, the root of its tree.
  let [root] = await tx.query(
    `SELECT id, name FROM unit WHERE municipality_id = $1 AND parent_id IS NULL AND archived_at IS NULL ORDER BY created_at LIMIT 1`,
    [municipalityId],
  );
  if (!root) {
    [root] = await tx.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, NULL, $2) RETURNING id, name`, [municipalityId, name]);
    changes.push(`created the root unit "${name}"`);
  }

  let [admin] = await tx.query(
    `SELECT id, display_name, archived_at FROM person WHERE municipality_id = $1 AND lower(email) = lower($2)`,
    [municipalityId, request.adminEmail],
  );
  if (admin?.archived_at) throw new SetupConflict(`${request.adminEmail} is archived in "${name}". Nothing was changed.`);
  if (!admin) {
    const displayName = request.adminName ? normaliseText(request.adminName) : request.adminEmail;
    [admin] = await tx.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, $2, $3) RETURNING id, display_name`, [
      municipalityId,
      request.adminEmail,
      displayName,
    ]);
    changes.push(`registered ${request.adminEmail}`);
  }
  const [isAdmin] = await tx.query(`SELECT 1 FROM role_assignment WHERE person_id = $1 AND municipality_id = $2 AND role = 'admin' LIMIT 1`, [
    admin.id,
    municipalityId,
  ]);
  if (!isAdmin) {
    await tx.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'admin')`, [municipalityId, admin.id, root.id]);
    changes.push(`made ${request.adminEmail} administrator (in "${root.name}")`);
  }

  if (request.library) {
    const [{ names }] = await tx.query(`SELECT coalesce(array_agg(name), '{}') AS names FROM wheel WHERE municipality_id = $1`, [municipalityId]);
    for (const wheel of WHEEL_LIBRARY) {
      if ((names as string[]).includes(wheel.name)) continue;
      // The municipality's own copy, to adapt and assign; it is not offered onward to others.
      await insertLibraryWheel(tx, municipalityId, wheel, false);
      changes.push(`copied the seed wheel "${wheel.name}" (${wheel.tasks.length} tasks)`);
    }
  }
  return { municipalityId, changes };
}
