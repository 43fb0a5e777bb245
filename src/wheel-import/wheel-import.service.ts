import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { ForbiddenProblem } from '../auth/auth.exceptions';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { AuditLogService } from '../audit/audit-log.service';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../common/problem';
import { MunicipalitiesService } from '../organisation/services/municipalities.service';
import { TaskDefinition } from '../wheels/entities/task-definition.entity';
import { Wheel } from '../wheels/entities/wheel.entity';
import { ImportedRowDto, ImportResultDto, ImportWheelDto } from './dtos/import.dto';
import { fileMissing, noRecognisableRows } from './import.problems';
import { ImportedRow, readWheel, RowProblem } from './interpret/interpret';
import { ROLE_KEY } from './interpret/roles';
import { readTable } from './readers/read-table';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file as the controller hands it on (multer's memory storage). */
export interface UploadedTable {
  buffer: Buffer;
}

/** A role chosen by hand for a row whose Ansvar was not understood. */
export interface RoleChoice {
  taskId: string;
  role: string;
}

/**
 * Brings a unit's wheel in from the table it keeps (Excel, Word, pasted text) as a draft: every row a task,
 * rows whose Ansvar or date was not understood flagged with what must be chosen before publishing.
 * Importing again into the draft updates its rows (matched by title and month), adds new ones and archives
 * those no longer in the file; a wheel in use gets a new draft that will replace it.
 */
@Injectable()
export class WheelImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async import(actor: AuthenticatedPerson, file: UploadedTable | undefined, dto: ImportWheelDto): Promise<ImportResultDto> {
    const municipalityId = actor.municipalityId;
    // Who may shape what is settled before the file is opened.
    const target = await this.target(actor, dto);
    if (!file || !file.buffer || file.buffer.length === 0) throw fileMissing();
    const { format, rows: raw } = await readTable(file.buffer);
    const year = Number((await this.municipalities.today(municipalityId)).slice(0, 4));
    const read = readWheel(raw, { year, roles: await this.rolesOf(municipalityId) });
    const { rows, problems } = withoutDuplicates(read.rows, read.problems);
    if (rows.length === 0) {
      throw noRecognisableRows(
        problems.length
          ? `No row of the table could be read as a task: ${problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join('; ')}.`
          : 'The table has no recognisable rows: a month heading ("Januar", "Februar", …) followed by one task per row.',
      );
    }

    return this.dataSource.transaction(async (tx) => {
      const wheel = await this.draftFor(tx, actor, target, dto.name ?? read.title ?? undefined);
      const existing = await tx.getRepository(TaskDefinition).findBy({ wheelId: wheel.id });
      const byKey = new Map(existing.filter((t) => t.sourceMonth !== null).map((t) => [key(t.title, t.sourceMonth!), t]));
      const kept = new Set<string>();
      const answered: ImportedRowDto[] = [];
      for (const [index, row] of rows.entries()) {
        const previous = byKey.get(key(row.title, row.month));
        const task = await tx.getRepository(TaskDefinition).save(taskFrom(tx, municipalityId, wheel.id, row, index, year, previous));
        kept.add(task.id);
        answered.push(rowDto(row, task));
      }
      const gone = existing.filter((t) => !kept.has(t.id) && t.archivedAt === null);
      if (gone.length) {
        await tx.query(`UPDATE task_definition SET archived_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`, [gone.map((t) => t.id)]);
      }
      await this.auditLog.record(
        actor,
        { action: 'imported', entity: 'wheel', entityId: wheel.id, after: { format, rows: rows.length, problems: problems.length, archived: gone.length, replacesWheelId: wheel.replacesWheelId } },
        tx,
      );
      return {
        wheelId: wheel.id,
        status: 'draft' as const,
        name: wheel.name,
        ownerUnitId: wheel.ownerUnitId,
        replacesWheelId: wheel.replacesWheelId,
        format,
        rows: answered,
        problems,
        skipped: read.skipped,
        archived: gone.length,
      };
    });
  }

  /** The draft's rows as stored, for the preview page. */
  async draft(actor: AuthenticatedPerson, wheelId: string): Promise<{ wheel: Wheel; tasks: TaskDefinition[] }> {
    const wheel = await this.shapeableDraft(actor, wheelId);
    const tasks = await this.dataSource.getRepository(TaskDefinition).find({ where: { wheelId: wheel.id }, order: { sortOrder: 'ASC' } });
    return { wheel, tasks: tasks.filter((t) => t.archivedAt === null) };
  }

  /** Sets the roles chosen by hand; the Ansvar part of a row's review note goes, a date still unresolved stays. */
  async chooseRoles(actor: AuthenticatedPerson, wheelId: string, choices: RoleChoice[]): Promise<number> {
    const wheel = await this.shapeableDraft(actor, wheelId);
    const bad = choices.filter((c) => !ROLE_KEY.test(c.role) || !UUID.test(c.taskId));
    if (bad.length) throw new ValidationProblem(bad.map((c) => ({ field: `role.${c.taskId}`, message: 'must be a role name such as manager or fagkoordinator' })));
    return this.dataSource.transaction(async (tx) => {
      let changed = 0;
      for (const choice of choices) {
        const task = await tx.getRepository(TaskDefinition).findOneBy({ id: choice.taskId, wheelId: wheel.id });
        if (!task) throw new NotFoundProblem('Task', choice.taskId);
        const before = { responsibleRole: task.responsibleRole, scope: task.scope, reviewNote: task.reviewNote };
        task.responsibleRole = choice.role;
        task.scope = choice.role === 'primary_contact' ? 'recipient' : 'unit';
        task.reviewNote = withoutLine(task.reviewNote, 'Ansvar:');
        await tx.save(task);
        await this.auditLog.record(actor, { action: 'role-chosen', entity: 'task', entityId: task.id, before, after: { responsibleRole: task.responsibleRole, scope: task.scope, reviewNote: task.reviewNote } }, tx);
        changed++;
      }
      return changed;
    });
  }

  /** The roles of the municipality: those held, and those its wheels already use. */
  async rolesOf(municipalityId: string): Promise<Set<string>> {
    const rows: Array<{ role: string }> = await this.dataSource.query(
      `SELECT role FROM role_assignment WHERE municipality_id = $1
       UNION SELECT responsible_role FROM task_definition WHERE municipality_id = $1 AND archived_at IS NULL`,
      [municipalityId],
    );
    return new Set(rows.map((r) => r.role).filter((r) => r !== 'admin'));
  }

  /** Whether the person may shape a wheel owned by `ownerUnitId` (null: the municipality's, administrators only). */
  async mayShape(actor: AuthenticatedPerson, ownerUnitId: string | null): Promise<boolean> {
    if (ownerUnitId === null) return this.access.isAdmin(actor.personId, actor.municipalityId);
    return this.access.hasRoleOver(actor.personId, actor.municipalityId, ownerUnitId, ['manager']);
  }

  private async shapeableDraft(actor: AuthenticatedPerson, wheelId: string): Promise<Wheel> {
    const wheel = UUID.test(wheelId) ? await this.dataSource.getRepository(Wheel).findOneBy({ id: wheelId, municipalityId: actor.municipalityId }) : null;
    if (!wheel || wheel.archivedAt) throw new NotFoundProblem('Wheel', wheelId);
    if (!(await this.mayShape(actor, wheel.ownerUnitId))) throw notYours();
    if (wheel.status !== 'draft') throw new ProblemException(HttpStatus.CONFLICT, 'not-a-draft', 'Ikke et utkast', 'This wheel is in use: import into it to make a draft that replaces it.');
    return wheel;
  }

  /** Where the import goes, checked against who asks: a draft, a wheel in use to replace, or a new wheel of a unit or the municipality. */
  private async target(actor: AuthenticatedPerson, dto: ImportWheelDto): Promise<{ wheel?: Wheel; ownerUnitId: string | null }> {
    if (dto.wheelId) {
      const wheel = await this.dataSource.getRepository(Wheel).findOneBy({ id: dto.wheelId, municipalityId: actor.municipalityId });
      if (!wheel || wheel.archivedAt) throw new NotFoundProblem('Wheel', dto.wheelId);
      if (!(await this.mayShape(actor, wheel.ownerUnitId))) throw notYours();
      if (dto.unitId && dto.unitId !== wheel.ownerUnitId) {
        throw new ValidationProblem([{ field: 'unitId', message: "must be left out, or be the wheel's own unit: a wheel keeps its owner when imported into again" }]);
      }
      return { wheel, ownerUnitId: wheel.ownerUnitId };
    }
    if (dto.unitId) {
      const unitId = await this.access.unitOf('unit', dto.unitId, actor.municipalityId);
      if (!unitId) throw new NotFoundProblem('Unit', dto.unitId);
      if (!(await this.mayShape(actor, unitId))) throw new ForbiddenProblem('Only managers of the unit, or of a unit above it, and administrators may import a wheel for it.');
      return { ownerUnitId: unitId };
    }
    if (!(await this.mayShape(actor, null))) {
      throw new ForbiddenProblem("Without unitId the wheel is the municipality's, which only administrators may import: give the unit that will own it.");
    }
    return { ownerUnitId: null };
  }

  /** The draft to import into: the one named, the open draft replacing a wheel in use (or a new one), or a new wheel. */
  private async draftFor(tx: EntityManager, actor: AuthenticatedPerson, target: { wheel?: Wheel; ownerUnitId: string | null }, name?: string): Promise<Wheel> {
    const repo = tx.getRepository(Wheel);
    const { wheel } = target;
    let draft: Wheel | null = null;
    if (wheel?.status === 'draft') draft = wheel;
    else if (wheel) draft = await repo.findOneBy({ municipalityId: actor.municipalityId, replacesWheelId: wheel.id, status: 'draft', archivedAt: IsNull() });
    if (draft) {
      // Two imports into one draft at once take turns, so neither duplicates the other's rows.
      await tx.query(`SELECT id FROM wheel WHERE id = $1 FOR UPDATE`, [draft.id]);
      if (name && name !== draft.name) {
        draft.name = name;
        await repo.save(draft);
      }
      return draft;
    }
    const created = await repo.save(
      repo.create({
        municipalityId: actor.municipalityId,
        name: name ?? wheel?.name ?? 'Importert årshjul',
        kind: wheel?.kind ?? 'custom',
        description: wheel?.description ?? null,
        ownerUnitId: target.ownerUnitId,
        status: 'draft',
        replacesWheelId: wheel?.id ?? null,
      }),
    );
    await this.auditLog.record(actor, { action: 'created', entity: 'wheel', entityId: created.id, after: { name: created.name, status: 'draft', ownerUnitId: created.ownerUnitId, replacesWheelId: created.replacesWheelId } }, tx);
    return created;
  }
}

const key = (title: string, month: number) => `${month}\u0000${title}`;
const notYours = () => new ForbiddenProblem('Only managers of the unit that owns this wheel, or of a unit above it, and administrators may import into it.');

/** The same task twice in one month block would make a second import ambiguous: the second is listed, not imported. */
function withoutDuplicates(rows: ImportedRow[], problems: RowProblem[]): { rows: ImportedRow[]; problems: RowProblem[] } {
  const seen = new Map<string, number>();
  const kept: ImportedRow[] = [];
  const more = [...problems];
  for (const row of rows) {
    const first = seen.get(key(row.title, row.month));
    if (first !== undefined) more.push({ line: row.line, message: `samme oppgave står allerede i samme måned på linje ${first}` });
    else {
      seen.set(key(row.title, row.month), row.line);
      kept.push(row);
    }
  }
  return { rows: kept, problems: more.sort((a, b) => a.line - b.line) };
}

function taskFrom(tx: EntityManager, municipalityId: string, wheelId: string, row: ImportedRow, index: number, year: number, previous?: TaskDefinition): TaskDefinition {
  const task = previous ?? tx.getRepository(TaskDefinition).create({ municipalityId, wheelId, title: row.title, sourceMonth: row.month });
  let role = row.responsibleRole;
  let scope = row.scope;
  let reviewNote = row.reviewNote;
  // A role chosen by hand for the same Ansvar text survives importing the file again.
  if (previous && previous.responsibleText === row.responsibleText && !previous.reviewNote?.includes('Ansvar:') && row.reviewNote?.includes('Ansvar:')) {
    role = previous.responsibleRole;
    scope = previous.scope;
    reviewNote = withoutLine(row.reviewNote, 'Ansvar:');
  }
  Object.assign(task, {
    // Unscheduled rows ("løpende", "ved behov") keep a placeholder: the month's last working day, flagged.
    rrule: row.rrule ?? `FREQ=YEARLY;BYMONTH=${row.month};BYMONTHDAY=-1`,
    startsOn: row.startsOn ?? `${year}-01-01`,
    deadlineShift: row.shift,
    opensDaysBefore: row.rrule === null || /BYMONTHDAY=-1/.test(row.rrule) ? 27 : 14,
    responsibleRole: role,
    scope,
    storedIn: row.storedIn,
    responsibleText: row.responsibleText,
    reviewNote,
    sourceLine: row.line,
    sortOrder: row.month * 1000 + index,
    archivedAt: null,
  });
  return task;
}

function rowDto(row: ImportedRow, task: TaskDefinition): ImportedRowDto {
  return {
    line: row.line,
    taskId: task.id,
    title: task.title,
    month: row.month,
    rrule: row.rrule === null ? null : task.rrule,
    startsOn: row.rrule === null ? null : task.startsOn,
    shift: task.deadlineShift,
    responsibleRole: task.responsibleRole,
    scope: task.scope,
    storedIn: task.storedIn,
    responsibleText: task.responsibleText,
    reviewNote: task.reviewNote,
    warnings: row.warnings,
  };
}

function withoutLine(note: string | null, prefix: string): string | null {
  const rest = (note ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith(prefix));
  return rest.length ? rest.join('\n') : null;
}
