import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { ConflictProblem } from '../common/problem';
import { causedBy } from '../occurrences/occurrence-change';
import { MaterialiseService } from '../occurrences/services/materialise.service';
import { OwnersService } from '../occurrences/services/owners.service';
import { UnitsService } from '../organisation/services/units.service';
import { CsvTable, readCsv } from './csv/read-csv';
import { FileOrganisation, readOrganisation } from './csv/read-organisation';
import { OrganisationImportResultDto } from './dtos/organisation-import.dto';
import { fileMissing, OrganisationRowsProblem, RowProblem } from './import.problems';
import { Organisation, OrganisationPlan, planImport, UnitKey } from './plan';

/** The file as the controller hands it on (multer's memory storage, or the text/csv body). */
export interface UploadedCsv {
  buffer: Buffer;
}

/**
 * Units and people from a CSV as HR and the org chart export them: a preview of what would change, then
 * the same applied in one transaction. Matched by unit code and by e-mail (case-insensitively), so the
 * same file applied twice changes nothing the second time. Nothing is ever archived or deleted: people
 * missing from the file are listed in the preview, no more.
 */
@Injectable()
export class OrganisationImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitsService,
    private readonly owners: OwnersService,
    private readonly materialiser: MaterialiseService,
    private readonly auditLog: AuditLogService,
  ) {}

  /** The API's one call: the preview, or the file applied; a file with any row problem is refused whole (422). */
  async import(actor: AuthenticatedPerson, file: UploadedCsv | undefined, apply: boolean): Promise<OrganisationImportResultDto> {
    const { read, table } = await this.read(actor, file);
    if (apply) return this.applyFile(actor, read, table);
    const { result, problems } = await this.preview(actor, read, table);
    if (problems.length) throw new OrganisationRowsProblem(problems);
    return result;
  }

  /** The file's rows, read; a file that cannot be read at all is refused here (4xx naming `file`). */
  async read(actor: AuthenticatedPerson, file: UploadedCsv | undefined): Promise<{ read: FileOrganisation; table: CsvTable }> {
    if (!file?.buffer?.length) throw fileMissing();
    const table = readCsv(file.buffer);
    return { read: readOrganisation(table.records, await this.rolesOf(actor.municipalityId)), table };
  }

  /** What the file would change, with its row problems (the web page shows both). Nothing is stored. */
  async preview(actor: AuthenticatedPerson, read: FileOrganisation, table: CsvTable): Promise<{ result: OrganisationImportResultDto; problems: RowProblem[] }> {
    const plan = planImport(read, await this.organisation(this.dataSource.manager, actor.municipalityId));
    return { result: answer(plan, false, fileInfo(table)), problems: plan.problems };
  }

  /** The file applied; OrganisationRowsProblem (422) when it has problems, and then nothing is stored. */
  async applyFile(actor: AuthenticatedPerson, read: FileOrganisation, table: CsvTable): Promise<OrganisationImportResultDto> {
    return answer(await this.apply(actor, read), true, fileInfo(table));
  }

  /**
   * Applies the file in one transaction, in the municipality's turn at its unit tree (the lock unit moves
   * take, UnitsService), planned again inside it: what another change did since the preview is seen, and
   * a file that no longer fits is refused whole. Units are written parents first, so no move passes
   * through a loop on the way; the database's own guard (UnitTreeGuards) checks each move again.
   */
  private async apply(actor: AuthenticatedPerson, read: FileOrganisation): Promise<OrganisationPlan> {
    const municipalityId = actor.municipalityId;
    const touched = { taken: new Set<string>(), left: new Set<string>() };
    const plan = await this.dataSource
      .transaction(async (tx) => {
        await this.units.lockTree(tx, municipalityId);
        const plan = planImport(read, await this.organisation(tx, municipalityId));
        if (plan.problems.length) throw new OrganisationRowsProblem(plan.problems);
        if (!hasChanges(plan)) return plan;

        const ids = new Map<UnitKey, string>();
        const idOf = (key: UnitKey | null) => (key === null ? null : (ids.get(key) ?? key));
        const refresh = new Set<string>();
        const changes = [...plan.units.create.map((u) => ({ ...u, isNew: true })), ...plan.units.update.map((u) => ({ ...u, isNew: false }))];
        // Parents first, by their depth in the tree as it will be: every unit above a move has its final place already.
        changes.sort((a, b) => a.depth - b.depth);
        for (const unit of changes) {
          if (unit.isNew) {
            const [row] = await tx.query(`INSERT INTO unit (municipality_id, name, parent_id, code) VALUES ($1, $2, $3, $4) RETURNING id`, [
              municipalityId,
              unit.name,
              idOf(unit.parentKey),
              unit.code,
            ]);
            ids.set(unit.key, row.id);
            await this.auditLog.record(actor, { action: 'created', entity: 'unit', entityId: row.id, after: { code: unit.code, name: unit.name, parentId: idOf(unit.parentKey), imported: true } }, tx);
          } else {
            const [before] = await tx.query(`SELECT code, name, parent_id AS "parentId" FROM unit WHERE id = $1`, [unit.key]);
            await tx.query(`UPDATE unit SET name = $2, parent_id = $3, code = COALESCE(code, $4) WHERE id = $1 AND municipality_id = $5`, [
              unit.key,
              unit.name,
              idOf(unit.parentKey),
              unit.code,
              municipalityId,
            ]);
            if (unit.moved) refresh.add(unit.key);
            await this.auditLog.record(actor, { action: 'updated', entity: 'unit', entityId: unit.key, before, after: { code: before.code ?? unit.code, name: unit.name, parentId: idOf(unit.parentKey), imported: true } }, tx);
          }
        }

        for (const person of [...plan.people.create, ...plan.people.update]) {
          let personId = person.id;
          if (!personId) {
            const [row] = await tx.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, $2, $3) RETURNING id`, [municipalityId, person.email, person.displayName]);
            personId = row.id as string;
            await this.auditLog.record(actor, { action: 'created', entity: 'person', entityId: personId, after: { email: person.email, displayName: person.displayName, imported: true } }, tx);
          } else if (person.previousName !== undefined) {
            await tx.query(`UPDATE person SET display_name = $2 WHERE id = $1 AND municipality_id = $3`, [personId, person.displayName, municipalityId]);
            await this.auditLog.record(actor, { action: 'updated', entity: 'person', entityId: personId, before: { displayName: person.previousName }, after: { displayName: person.displayName, imported: true } }, tx);
          }
          for (const role of person.rolesRemoved) {
            await tx.query(`DELETE FROM role_assignment WHERE id = $1 AND municipality_id = $2`, [role.assignmentId, municipalityId]);
            await this.auditLog.record(actor, { action: 'removed', entity: 'role_assignment', entityId: role.assignmentId, before: { unitId: role.unitId, personId, role: role.role, imported: true } }, tx);
            refresh.add(role.unitId);
            touched.left.add(role.unitId);
          }
          for (const role of person.rolesAdded) {
            const unitId = idOf(role.key)!;
            const [row] = await tx.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, $4) RETURNING id`, [municipalityId, personId, unitId, role.role]);
            await this.auditLog.record(actor, { action: 'assigned', entity: 'role_assignment', entityId: row.id, after: { unitId, personId, role: role.role, imported: true } }, tx);
            refresh.add(unitId);
            touched.taken.add(unitId);
          }
        }
        // Open tasks follow: new holders of a role own them, a moved unit's inherited roles are those of its new place.
        if (refresh.size) await this.owners.refreshOpenInSubtrees(tx, municipalityId, [...refresh]);
        await this.auditLog.record(actor, { action: 'imported', entity: 'organisation', entityId: municipalityId, after: counts(plan) }, tx);
        return plan;
      })
      .catch(duplicate);
    // Once committed, as materialising runs in transactions of its own: duties per person of those who came and went.
    if (touched.taken.size) await this.materialiser.resyncPersonTasks(municipalityId, [...touched.taken], causedBy(actor, 'role-taken'));
    const left = [...touched.left].filter((u) => !touched.taken.has(u));
    if (left.length) await this.materialiser.resyncPersonTasks(municipalityId, left, causedBy(actor, 'role-left'));
    return plan;
  }

  /** The role keys the municipality uses (held, or named by its wheels): a file may name them too. */
  private async rolesOf(municipalityId: string): Promise<Set<string>> {
    const rows: Array<{ role: string }> = await this.dataSource.query(
      `SELECT role FROM role_assignment WHERE municipality_id = $1
       UNION SELECT responsible_role FROM task_definition WHERE municipality_id = $1 AND archived_at IS NULL`,
      [municipalityId],
    );
    return new Set(rows.map((r) => r.role));
  }

  private async organisation(runner: EntityManager, municipalityId: string): Promise<Organisation> {
    // One after another: inside the transaction they share its one connection.
    const units = await runner.query(`SELECT id, code, name, parent_id AS "parentId", archived_at IS NOT NULL AS archived FROM unit WHERE municipality_id = $1`, [municipalityId]);
    const people = await runner.query(`SELECT id, email, display_name AS "displayName", archived_at IS NOT NULL AS archived FROM person WHERE municipality_id = $1`, [municipalityId]);
    const roles = await runner.query(`SELECT id, person_id AS "personId", unit_id AS "unitId", role FROM role_assignment WHERE municipality_id = $1`, [municipalityId]);
    return { units, people, roles };
  }
}

const fileInfo = (table: CsvTable) => ({ encoding: table.encoding, delimiter: table.delimiter, rows: table.records.length - 1 });

function hasChanges(plan: OrganisationPlan): boolean {
  return plan.units.create.length + plan.units.update.length + plan.people.create.length + plan.people.update.length > 0;
}

function counts(plan: OrganisationPlan) {
  return {
    unitsCreated: plan.units.create.length,
    unitsUpdated: plan.units.update.length,
    unitsUnchanged: plan.units.unchanged.length,
    peopleCreated: plan.people.create.length,
    peopleUpdated: plan.people.update.length,
    peopleUnchanged: plan.people.unchanged.length,
    peopleNotInFile: plan.people.notInFile.length,
  };
}

/** The answer: the plan without the ids it was carried out by. */
function answer(plan: OrganisationPlan, applied: boolean, file: { encoding: string; delimiter: string; rows: number }): OrganisationImportResultDto {
  const changes = hasChanges(plan);
  const c = counts(plan);
  const unit = ({ line, code, name, parentName, previousName, moved, previousParentName, codeGiven }: OrganisationPlan['units']['create'][number]) => ({
    line, code, name, parentName, ...(previousName !== undefined ? { previousName } : {}), ...(moved ? { moved, previousParentName } : {}), ...(codeGiven ? { codeGiven } : {}),
  });
  const role = ({ unitCode, unitName, role }: { unitCode: string | null; unitName: string; role: string }) => ({ unitCode, unitName, role });
  const person = ({ line, email, displayName, previousName, rolesAdded, rolesRemoved }: OrganisationPlan['people']['create'][number]) => ({
    line, email, displayName, ...(previousName !== undefined ? { previousName } : {}), rolesAdded: rolesAdded.map(role), rolesRemoved: rolesRemoved.map(role),
  });
  const [summary, oppsummering] = !changes
    ? ['Nothing to change: the units and people already match the file.', 'Ingenting å endre: enhetene og personene stemmer allerede med filen.']
    : applied
      ? [
          `Applied: ${c.unitsCreated} units created, ${c.unitsUpdated} changed; ${c.peopleCreated} people created, ${c.peopleUpdated} changed.`,
          `Importert: ${c.unitsCreated} enheter opprettet, ${c.unitsUpdated} endret; ${c.peopleCreated} personer opprettet, ${c.peopleUpdated} endret.`,
        ]
      : [
          `Would create ${c.unitsCreated} units and change ${c.unitsUpdated}; create ${c.peopleCreated} people and change ${c.peopleUpdated}. Nothing is stored until applied.`,
          `Vil opprette ${c.unitsCreated} enheter og endre ${c.unitsUpdated}; opprette ${c.peopleCreated} personer og endre ${c.peopleUpdated}. Ingenting lagres før du importerer.`,
        ];
  return {
    applied,
    changes,
    summary,
    oppsummering,
    file,
    units: { create: plan.units.create.map(unit), update: plan.units.update.map(unit), unchanged: plan.units.unchanged },
    people: { create: plan.people.create.map(person), update: plan.people.update.map(person), unchanged: plan.people.unchanged, notInFile: plan.people.notInFile },
  };
}

/** Somebody else gave the same code or e-mail address at the same moment: the database refused the second. */
function duplicate(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    throw new ConflictProblem('organisation-import-conflict', 'A unit code or e-mail address of the file was taken by another change just now: preview the file again.');
  }
  throw error;
}
