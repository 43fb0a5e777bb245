import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, QueryFailedError } from 'typeorm';
import { ConflictProblem, ValidationProblem } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { AssignmentDto } from '../dtos/assignment.dto';
import { PublishedWheelDto, PublishWheelDto, WheelDto } from '../dtos/wheel.dto';
import { TaskDefinition } from '../entities/task-definition.entity';
import { Wheel } from '../entities/wheel.entity';
import { WheelAssignment } from '../entities/wheel-assignment.entity';
import { NotADraftProblem, RowsNeedReviewProblem, WheelReplacedProblem } from '../exceptions/wheel.exceptions';
import { WheelsService } from './wheels.service';

/**
 * Publishing a draft puts it in use. A draft that replaces a wheel in use takes over from a chosen date:
 * the old wheel's assignments end the day before and the new wheel's begin on it, for the same units, so
 * the old wheel's future unsigned occurrences from that date are cancelled (traced) and the new wheel's
 * created. Whatever came before the date — and anything signed after it — stays as it was recorded. The
 * old wheel is not archived: it keeps its history, and its occurrences before the date stand.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wheels: WheelsService,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async publish(actor: AuthenticatedPerson, wheelId: string, dto: PublishWheelDto): Promise<PublishedWheelDto> {
    const municipalityId = actor.municipalityId;
    const draft = await this.wheels.own(municipalityId, wheelId);
    if (draft.status !== 'draft') throw new NotADraftProblem(draft.name);
    if (draft.archivedAt) throw new ConflictProblem('wheel-archived', `«${draft.name}» is archived: restore it before publishing it.`);
    const tasks = await this.dataSource.getRepository(TaskDefinition).find({ where: { wheelId: draft.id, archivedAt: IsNull() }, order: { sortOrder: 'ASC', sourceLine: 'ASC' } });
    const flagged = tasks.filter((t) => t.reviewNote !== null);
    if (flagged.length) throw new RowsNeedReviewProblem(flagged.map((t) => ({ id: t.id, title: t.title, sourceLine: t.sourceLine, reviewNote: t.reviewNote! })));
    if (tasks.length === 0) throw new ValidationProblem([{ field: 'tasks', message: 'the wheel has no tasks: add at least one before publishing it' }]);

    if (!draft.replacesWheelId) {
      if (dto.replacesFrom !== undefined) throw new ValidationProblem([{ field: 'replacesFrom', message: 'only a draft that replaces a wheel in use takes a date' }]);
      const before = WheelDto.from(draft);
      draft.status = 'active';
      await this.dataSource.transaction(async (tx) => {
        await tx.save(draft);
        await this.auditLog.record(actor, { action: 'published', entity: 'wheel', entityId: draft.id, before, after: WheelDto.from(draft) }, tx);
      });
      return { ...WheelDto.from(draft), assignments: [] };
    }
    return this.replace(actor, draft, dto.replacesFrom);
  }

  private async replace(actor: AuthenticatedPerson, draft: Wheel, from: string | undefined): Promise<PublishedWheelDto> {
    const municipalityId = actor.municipalityId;
    if (!from) throw new ValidationProblem([{ field: 'replacesFrom', message: 'is required: the first deadline day that follows the new wheel, such as 2027-03-01' }]);
    const today = await this.municipalities.today(municipalityId);
    if (from < today) throw new ValidationProblem([{ field: 'replacesFrom', message: `must be today (${today}) or later: deadlines before today stay as they were recorded` }]);
    const old = await this.wheels.own(municipalityId, draft.replacesWheelId!);
    if (old.archivedAt || old.status !== 'active') throw new ConflictProblem('wheel-not-in-use', `«${old.name}», which this draft replaces, is no longer in use: publish the draft without replacing, or copy it.`);

    const moved: AssignmentDto[] = [];
    try {
      await this.dataSource.transaction(async (tx) => {
        // The old wheel's row is the lock: two drafts published over it at once take turns, and the unique
        // index wheel_replaced_once_idx refuses the second even if they did not.
        await tx.query(`SELECT 1 FROM wheel WHERE id = $1 FOR UPDATE`, [old.id]);
        const earlier = await this.wheels.replacementOf(old.id, tx);
        if (earlier) throw new WheelReplacedProblem(old.name, earlier.name, earlier.replacesFrom ?? '');
        const before = WheelDto.from(draft);
        draft.status = 'active';
        draft.replacesFrom = from;
        await tx.save(draft);
        await this.auditLog.record(actor, { action: 'published', entity: 'wheel', entityId: draft.id, before, after: WheelDto.from(draft) }, tx);

        const assignments = await tx.find(WheelAssignment, { where: [{ wheelId: old.id, endsBefore: IsNull() }, { wheelId: old.id, endsBefore: MoreThan(from) }] });
        for (const a of assignments) {
          const ended = AssignmentDto.from(a, old.name);
          const start = [a.startsOn ?? `${a.fromYear}-01-01`, from].sort()[1];
          const successor = await tx.save(
            tx.create(WheelAssignment, {
              municipalityId,
              unitId: a.unitId,
              wheelId: draft.id,
              includeSubunits: a.includeSubunits,
              fromYear: Number(start.slice(0, 4)),
              startsOn: start,
              endsBefore: a.endsBefore,
            }),
          );
          a.endsBefore = from;
          await tx.save(a);
          await this.auditLog.record(actor, { action: 'replaced', entity: 'wheel_assignment', entityId: a.id, before: ended, after: AssignmentDto.from(a, old.name) }, tx);
          await this.auditLog.record(actor, { action: 'assigned', entity: 'wheel_assignment', entityId: successor.id, after: AssignmentDto.from(successor, draft.name) }, tx);
          moved.push(AssignmentDto.from(successor, draft.name));
        }
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictProblem('wheel-replaced', `«${old.name}» has just been replaced by another draft.`);
      }
      throw error;
    }

    // First the old wheel lets go of its future from the date, then the new one takes it up.
    const cause = causedBy(actor, 'wheel-replaced');
    await this.materialiser.resyncWheel(municipalityId, old.id, cause);
    await this.materialiser.resyncWheel(municipalityId, draft.id, cause, [...new Set(moved.map((m) => m.unitId))]);
    return { ...WheelDto.from(draft), assignments: moved };
  }
}
