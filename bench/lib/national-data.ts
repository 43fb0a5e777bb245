import { randomUUID } from 'node:crypto';
import { LibraryWheel, WHEEL_LIBRARY } from '../../src/wheels/library/wheel-library';

/**
 * The shape of the national data set: 357 municipalities whose sizes fall off like Norway's (a few
 * cities, a long tail of small municipalities), and "Storby", the large municipality of PRODUCT.md
 * (1,000 units, 5,000 service recipients), always at full size. Everything here is synthetic: units are
 * numbered, people are "Ansatt 17", recipients are codes.
 */
export const MUNICIPALITIES = 357;
export const LARGE = { name: 'Storby kommune', units: 1000, recipients: 5000 };
/** Units in the largest city at full scale; municipality k gets LARGEST_CITY_UNITS · k^-0.6 (Zipf). */
const LARGEST_CITY_UNITS = 3100;
const RECIPIENTS_PER_UNIT = 5;
const STAFF_PER_LEAF = 6;
const PRIMARY_CONTACTS_PER_LEAF = 3;

/**
 * A municipality's own wheel, as every unit has beside the seed wheels (medicines, fire safety,
 * deviations, a monthly report per recipient): with it a unit has about 200 occurrences a year, as
 * PRODUCT.md's scale assumes.
 */
export const LOCAL_WHEEL: LibraryWheel = {
  key: 'lokalt',
  name: 'Lokalt årshjul — HMS og legemidler',
  kind: 'custom',
  description: 'Generert for ytelsesmåling.',
  tasks: [
    { title: 'Telling av A- og B-preparater', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', deadlineShift: 'previous', opensDaysBefore: 7, responsibleRole: 'manager', storedIn: 'Legemiddelperm' },
    { title: 'Brannvernrunde', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15', deadlineShift: 'next', opensDaysBefore: 7, responsibleRole: 'staff' },
    { title: 'Gjennomgang av nye avvik', rrule: 'FREQ=MONTHLY;BYMONTHDAY=10', deadlineShift: 'next', opensDaysBefore: 7, responsibleRole: 'manager', storedIn: 'Avvikssystemet' },
    { title: 'Avviksgjennomgang i personalmøte', rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1', deadlineShift: 'previous', responsibleRole: 'manager' },
    { title: 'Månedlig statusnotat for tiltaksplan', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', deadlineShift: 'previous', opensDaysBefore: 10, responsibleRole: 'primary_contact', scope: 'recipient', storedIn: 'Fagsystem' },
  ],
};

export const WHEELS: LibraryWheel[] = [...WHEEL_LIBRARY, LOCAL_WHEEL];
/** Wheels assigned to the top unit for every unit below it; the others apply to the top unit alone. */
export const INHERITED_WHEELS = new Set(['ledere', 'primaerkontakter', 'fag-og-kompetanse', 'lokalt']);

export interface MunicipalityPlan {
  id: string;
  name: string;
  units: number;
  recipients: number;
}

/** The municipalities to generate at `scale` (1 = the whole country); the large one is always whole. */
export function planMunicipalities(scale: number, count = MUNICIPALITIES): MunicipalityPlan[] {
  const plans: MunicipalityPlan[] = [];
  for (let rank = 1; rank <= count; rank++) {
    if (rank === 7) {
      // Where a municipality of 1,000 units falls in the Zipf ranking.
      plans.push({ id: randomUUID(), name: LARGE.name, units: LARGE.units, recipients: LARGE.recipients });
      continue;
    }
    const units = Math.max(5, Math.round(LARGEST_CITY_UNITS * rank ** -0.6 * scale));
    plans.push({ id: randomUUID(), name: `Kommune ${String(rank).padStart(3, '0')}`, units, recipients: units * RECIPIENTS_PER_UNIT });
  }
  return plans;
}

export interface UnitRow {
  id: string;
  parentId: string | null;
  name: string;
  leaf: boolean;
}

/**
 * A health and care organisation of `n` units: the top unit, areas (tjenesteområder), units (enheter)
 * and departments (avdelinger), each level about ten times the one above, parents taken in turn.
 */
export function unitTree(n: number): UnitRow[] {
  const areas = Math.max(1, Math.round(n / 100));
  const enheter = Math.max(1, Math.round(n / 10));
  const departments = Math.max(0, n - 1 - areas - enheter);
  const root: UnitRow = { id: randomUUID(), parentId: null, name: 'Helse og omsorg', leaf: false };
  const level = (count: number, parents: UnitRow[], label: string, leaf: boolean) =>
    Array.from({ length: count }, (_, i) => ({ id: randomUUID(), parentId: parents[i % parents.length].id, name: `${label} ${i + 1}`, leaf }));
  const areaRows = level(areas, [root], 'Tjenesteområde', false);
  const enhetRows = level(enheter, areaRows, 'Enhet', departments === 0);
  const departmentRows = level(departments, enhetRows, 'Avdeling', true);
  return [root, ...areaRows, ...enhetRows, ...departmentRows];
}

export interface PersonRow {
  id: string;
  email: string;
  displayName: string;
  roles: Array<{ unitId: string; role: string }>;
  primaryContact?: boolean;
}

/**
 * People: an administrator, a quality adviser and a resource team at the top, a manager for every unit,
 * and staff in every department, some of them primary contacts.
 */
export function peopleOf(municipalityIndex: number, units: UnitRow[]): PersonRow[] {
  const domain = `k${String(municipalityIndex).padStart(3, '0')}.kommune.test`;
  const people: PersonRow[] = [];
  const add = (kind: string, roles: PersonRow['roles'], primaryContact = false) => {
    const n = people.length + 1;
    people.push({ id: randomUUID(), email: `${kind}${n}@${domain}`, displayName: `${kind === 'leder' ? 'Leder' : 'Ansatt'} ${n}`, roles, primaryContact });
  };
  const root = units[0];
  add('admin', [{ unitId: root.id, role: 'admin' }]);
  add('kvalitet', [{ unitId: root.id, role: 'quality_adviser' }]);
  add('ressurs', [{ unitId: root.id, role: 'resource_team' }]);
  for (const unit of units) {
    add('leder', [{ unitId: unit.id, role: 'manager' }]);
    if (!unit.leaf) continue;
    for (let s = 0; s < STAFF_PER_LEAF; s++) {
      const primary = s < PRIMARY_CONTACTS_PER_LEAF;
      add('ansatt', [{ unitId: unit.id, role: 'staff' }, ...(primary ? [{ unitId: unit.id, role: 'primary_contact' }] : [])], primary);
    }
  }
  return people;
}

/** A small deterministic random source, so two generations of the same scale look alike. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
