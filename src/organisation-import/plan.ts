import { UNIT_TREE_MAX_DEPTH } from '../organisation/unit-scope.sql';
import { codeKey, FileOrganisation, FileUnit } from './csv/read-organisation';
import { RowProblem } from './import.problems';

/** The municipality's organisation as it stands, as far as an import compares with it. */
export interface Organisation {
  units: Array<{ id: string; code: string | null; name: string; parentId: string | null; archived: boolean }>;
  people: Array<{ id: string; email: string; displayName: string; archived: boolean }>;
  roles: Array<{ id: string; personId: string; unitId: string; role: string }>;
}

/** A unit in the plan: an existing unit's id, or `new:<code>` for one the import creates. */
export type UnitKey = string;

export interface RoleRef {
  unitCode: string | null;
  unitName: string;
  role: string;
}

export interface UnitChange {
  line: number;
  key: UnitKey;
  code: string;
  name: string;
  parentKey: UnitKey | null;
  parentName: string | null;
  /** Levels above it in the tree as it will be: units are written in this order, parents first. */
  depth: number;
  /** For an existing unit: what changes. */
  previousName?: string;
  previousParentName?: string | null;
  moved?: boolean;
  /** An existing unit without a code, found by its name, gets the file's code. */
  codeGiven?: boolean;
}

export interface PersonChange {
  line: number;
  id?: string;
  email: string;
  displayName: string;
  previousName?: string;
  rolesAdded: Array<RoleRef & { key: UnitKey }>;
  rolesRemoved: Array<RoleRef & { assignmentId: string; unitId: string }>;
}

export interface OrganisationPlan {
  units: { create: UnitChange[]; update: UnitChange[]; unchanged: Array<{ code: string; name: string }> };
  people: { create: PersonChange[]; update: PersonChange[]; unchanged: Array<{ email: string; displayName: string }>; notInFile: Array<{ email: string; displayName: string }> };
  problems: RowProblem[];
}

const p = (line: number, column: string, melding: string, message: string): RowProblem => ({ line, column, melding, message });

/**
 * Compares the file with the municipality and says what an import would do. Units are matched by code
 * (case-insensitively); a unit without a code yet is found by its name, if exactly one has it, and gets the
 * file's code. People are matched by e-mail, case-insensitively. A unit without Overordnet enhet goes under
 * the municipality's top unit when it has exactly one (as `npm run setup` makes it). A person in the file
 * holds exactly the roles the file gives them (a move to another unit ends the old role), but for admin,
 * which a file never takes away. Nothing is archived or deleted: people missing from the file are only
 * listed. Pure: the service loads the organisation and applies the plan.
 */
export function planImport(file: FileOrganisation, org: Organisation): OrganisationPlan {
  const problems: RowProblem[] = [...file.problems];
  const byCode = new Map(org.units.filter((u) => u.code !== null).map((u) => [codeKey(u.code!), u]));
  const active = org.units.filter((u) => !u.archived);
  const tops = active.filter((u) => u.parentId === null);
  const rootId = tops.length === 1 ? tops[0].id : null;
  const unitById = new Map(org.units.map((u) => [u.id, u]));

  // Units without a code yet, by name: one found so gets the file's code, once.
  const uncodedByName = new Map<string, typeof active>();
  for (const u of active.filter((x) => x.code === null)) uncodedByName.set(u.name.toLowerCase(), [...(uncodedByName.get(u.name.toLowerCase()) ?? []), u]);
  const taken = new Set<string>();

  const existingFor = new Map<string, (typeof org.units)[number]>();
  for (const unit of file.units) {
    const coded = byCode.get(codeKey(unit.code));
    if (coded) {
      if (coded.archived) problems.push(p(unit.line, 'Enhetskode', 'enheten er arkivert i Årshjul: gjenopprett den først', 'the unit is archived in Årshjul: restore it first'));
      else existingFor.set(codeKey(unit.code), coded);
      continue;
    }
    const named = uncodedByName.get(unit.name.toLowerCase());
    if (named?.length === 1 && !taken.has(named[0].id)) {
      taken.add(named[0].id);
      existingFor.set(codeKey(unit.code), named[0]);
    }
  }
  const fileUnits = new Map(file.units.map((u) => [codeKey(u.code), u]));
  const keyOf = (code: string): UnitKey | undefined => {
    const k = codeKey(code);
    if (fileUnits.has(k)) return existingFor.get(k)?.id ?? `new:${k}`;
    const u = byCode.get(k);
    return u && !u.archived ? u.id : undefined;
  };
  const nameOf = (key: UnitKey | null): string | null => {
    if (key === null) return null;
    if (key.startsWith('new:')) return fileUnits.get(key.slice(4))!.name;
    const fromFile = [...existingFor].find(([, u]) => u.id === key);
    return fromFile ? fileUnits.get(fromFile[0])!.name : (unitById.get(key)?.name ?? null);
  };

  // Where each unit of the file will hang.
  const parentOf = new Map<UnitKey, UnitKey | null>(active.map((u) => [u.id, u.parentId]));
  const planned: Array<{ unit: FileUnit; key: UnitKey; parentKey: UnitKey | null }> = [];
  for (const unit of file.units) {
    const key = keyOf(unit.code);
    if (!key) continue; // archived: already a problem
    let parentKey: UnitKey | null;
    if (unit.parentCode === null) parentKey = key === rootId ? null : rootId;
    else {
      const found = keyOf(unit.parentCode);
      if (!found) {
        const archived = byCode.get(codeKey(unit.parentCode))?.archived;
        problems.push(
          archived
            ? p(unit.line, 'Overordnet enhet', 'enheten over er arkivert i Årshjul', 'the unit above is archived in Årshjul')
            : p(unit.line, 'Overordnet enhet', 'finnes verken i filen eller i kommunen', 'is neither in the file nor a unit of the municipality'),
        );
        continue;
      }
      parentKey = found;
    }
    parentOf.set(key, parentKey);
    planned.push({ unit, key, parentKey });
  }

  // The tree as it would be: no unit under itself, no deeper than every walk of the tree goes.
  const depth = new Map<UnitKey, number>();
  for (const item of planned) {
    let steps = 0;
    let at: UnitKey | null | undefined = item.parentKey;
    const seen = new Set<UnitKey>([item.key]);
    let cycle = false;
    while (at !== null && at !== undefined) {
      if (at === item.key) {
        cycle = true;
        break;
      }
      if (seen.has(at)) break; // a loop above that is not this unit's: its own row says so
      seen.add(at);
      at = parentOf.get(at);
      steps++;
    }
    if (cycle) problems.push(p(item.unit.line, 'Overordnet enhet', 'gir en ring: enheten ville ligge under seg selv', 'makes a loop: the unit would be below itself'));
    else if (steps > UNIT_TREE_MAX_DEPTH) problems.push(p(item.unit.line, 'Overordnet enhet', `treet blir dypere enn ${UNIT_TREE_MAX_DEPTH} nivåer`, `the tree would be deeper than ${UNIT_TREE_MAX_DEPTH} levels`));
    depth.set(item.key, steps);
  }

  const units: OrganisationPlan['units'] = { create: [], update: [], unchanged: [] };
  for (const { unit, key, parentKey } of [...planned].sort((a, b) => depth.get(a.key)! - depth.get(b.key)!)) {
    const change: UnitChange = { line: unit.line, key, code: unit.code, name: unit.name, parentKey, parentName: nameOf(parentKey), depth: depth.get(key)! };
    const existing = existingFor.get(codeKey(unit.code));
    if (!existing) {
      units.create.push(change);
      continue;
    }
    const renamed = existing.name !== unit.name;
    const moved = existing.parentId !== parentKey;
    const codeGiven = existing.code === null;
    if (!renamed && !moved && !codeGiven) units.unchanged.push({ code: existing.code!, name: existing.name });
    else {
      units.update.push({
        ...change,
        ...(renamed ? { previousName: existing.name } : {}),
        ...(moved ? { moved, previousParentName: existing.parentId ? (unitById.get(existing.parentId)?.name ?? null) : null } : {}),
        ...(codeGiven ? { codeGiven } : {}),
      });
    }
  }

  // People: who they are, and their roles by unit.
  const personByEmail = new Map(org.people.map((x) => [x.email.toLowerCase(), x]));
  const rolesOf = new Map<string, Organisation['roles']>();
  for (const r of org.roles) rolesOf.set(r.personId, [...(rolesOf.get(r.personId) ?? []), r]);
  const codeOfUnit = (id: string) => {
    const given = [...existingFor].find(([, u]) => u.id === id)?.[0];
    return given ? fileUnits.get(given)!.code : (unitById.get(id)?.code ?? null);
  };
  const people: OrganisationPlan['people'] = { create: [], update: [], unchanged: [], notInFile: [] };
  for (const ref of file.referenced.values()) {
    if (!keyOf(ref.code)) {
      const archived = byCode.get(codeKey(ref.code))?.archived;
      problems.push(
        archived
          ? p(ref.line, 'Enhetskode', 'enheten er arkivert i Årshjul', 'the unit is archived in Årshjul')
          : p(ref.line, 'Enhetskode', 'finnes verken i filen eller i kommunen', 'is neither in the file nor a unit of the municipality'),
      );
    }
  }
  for (const person of file.people) {
    const existing = personByEmail.get(person.email.toLowerCase());
    if (existing?.archived) {
      problems.push(p(person.line, 'E-post', 'personen er arkivert i Årshjul: gjenopprett personen først', 'the person is archived in Årshjul: restore them first'));
      continue;
    }
    const wanted = person.roles.flatMap((r) => {
      const key = keyOf(r.unitCode);
      return key ? [{ key, role: r.role, unitCode: fileUnits.get(codeKey(r.unitCode))?.code ?? byCode.get(codeKey(r.unitCode))?.code ?? r.unitCode, unitName: nameOf(key) ?? '' }] : [];
    });
    const held = existing ? (rolesOf.get(existing.id) ?? []) : [];
    const rolesAdded = wanted.filter((w) => !held.some((h) => h.unitId === w.key && h.role === w.role));
    const rolesRemoved = held
      .filter((h) => h.role !== 'admin' && !wanted.some((w) => w.key === h.unitId && w.role === h.role))
      .map((h) => ({ assignmentId: h.id, unitId: h.unitId, unitCode: codeOfUnit(h.unitId), unitName: unitById.get(h.unitId)?.name ?? '', role: h.role }));
    const change: PersonChange = { line: person.line, email: person.email, displayName: person.displayName, rolesAdded, rolesRemoved };
    if (!existing) people.create.push(change);
    else if (existing.displayName === person.displayName && !rolesAdded.length && !rolesRemoved.length) people.unchanged.push({ email: existing.email, displayName: existing.displayName });
    else people.update.push({ ...change, id: existing.id, email: existing.email, ...(existing.displayName !== person.displayName ? { previousName: existing.displayName } : {}) });
  }
  const inFile = new Set(file.people.map((x) => x.email.toLowerCase()));
  people.notInFile = org.people.filter((x) => !x.archived && !inFile.has(x.email.toLowerCase())).map((x) => ({ email: x.email, displayName: x.displayName }));
  return { units, people, problems: problems.sort((a, b) => a.line - b.line) };
}
