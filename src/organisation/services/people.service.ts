import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../common/problem';
import { OwnersService } from '../../occurrences/services/owners.service';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { endSessionsOf } from '../../auth/sessions';
import { Keyset, limitOf, PageQuery } from '../../common/pagination';
import { CreatePersonDto, PersonDto, PersonPageDto, UpdatePersonDto } from '../dtos/person.dto';
import { Person } from '../entities/person.entity';

/** People by name; two of the same name are told apart by id. */
const PEOPLE = new Keyset('people', ['text', 'uuid']);

/** Employees of the municipality who sign in. Archived, never deleted: records point at them. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly owners: OwnersService,
    private readonly materialiser: MaterialiseService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(municipalityId: string): Promise<PersonDto[]> {
    const people = await this.dataSource.getRepository(Person).find({ where: { municipalityId }, order: { displayName: 'ASC' } });
    return people.map(PersonDto.from);
  }

  /** A page of the municipality's people, by name (in the database's collation, as the list sorts them). */
  async page(municipalityId: string, query: PageQuery): Promise<PersonPageDto> {
    const after = PEOPLE.decode(query.cursor);
    const limit = limitOf(query);
    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, email, display_name, archived_at IS NOT NULL AS archived, json_build_array(display_name, id) AS sort_key
           FROM person WHERE municipality_id = $1 AND ${PEOPLE.after('display_name, id', 2)}
          ORDER BY display_name, id LIMIT ${limit + 1}`,
        [municipalityId, ...after],
      ),
      this.dataSource.query(`SELECT count(*) FROM person WHERE municipality_id = $1`, [municipalityId]),
    ]);
    return PEOPLE.page(rows as Array<{ id: string; email: string; display_name: string; archived: boolean; sort_key: unknown[] }>, limit, Number(count), (p) => ({
      id: p.id,
      email: p.email,
      displayName: p.display_name,
      archived: p.archived,
    }));
  }

  async get(municipalityId: string, id: string): Promise<PersonDto> {
    return PersonDto.from(await this.find(municipalityId, id));
  }

  async create(actor: AuthenticatedPerson, dto: CreatePersonDto): Promise<PersonDto> {
    return this.dataSource.transaction(async (tx) => {
      const person = await tx
        .save(tx.create(Person, { municipalityId: actor.municipalityId, email: dto.email, displayName: dto.displayName }))
        .catch(duplicateEmail);
      await this.auditLog.record(actor, { action: 'created', entity: 'person', entityId: person.id, after: PersonDto.from(person) }, tx);
      return PersonDto.from(person);
    });
  }

  async update(actor: AuthenticatedPerson, id: string, dto: UpdatePersonDto): Promise<PersonDto> {
    const municipalityId = actor.municipalityId;
    let roleUnits: string[] = [];
    let archiving: boolean | undefined;
    const updated = await this.dataSource.transaction(async (tx) => {
      const person = await this.find(municipalityId, id, tx.getRepository(Person));
      const before = PersonDto.from(person);
      const wasArchived = person.archivedAt !== null;
      if (dto.email !== undefined) person.email = dto.email;
      if (dto.displayName !== undefined) person.displayName = dto.displayName;
      if (dto.archived !== undefined) person.archivedAt = dto.archived ? (person.archivedAt ?? new Date()) : null;
      await tx.getRepository(Person).save(person).catch(duplicateEmail);
      await this.auditLog.record(actor, { action: 'updated', entity: 'person', entityId: person.id, before, after: PersonDto.from(person) }, tx);
      // Archived is signed out everywhere; restoring them later does not bring old sessions back.
      if (!wasArchived && person.archivedAt !== null) await endSessionsOf(tx, municipalityId, person.id);
      if (wasArchived !== (person.archivedAt !== null)) {
        // Their open tasks pass to whoever holds the role now (or back to them when restored).
        const units: Array<{ unit_id: string }> = await tx.query(
          `SELECT unit_id FROM role_assignment WHERE person_id = $1
           UNION SELECT r.unit_id FROM recipient_primary_contact rpc JOIN recipient r ON r.id = rpc.recipient_id WHERE rpc.person_id = $1`,
          [person.id],
        );
        await this.owners.refreshOpenInSubtrees(tx, municipalityId, units.map((u) => u.unit_id));
        archiving = person.archivedAt !== null;
        roleUnits = (await tx.query(`SELECT unit_id FROM role_assignment WHERE person_id = $1`, [person.id])).map((r: { unit_id: string }) => r.unit_id);
      }
      return PersonDto.from(person);
    });
    // Their duties per person: open ones from today on cancelled when archived, back when restored.
    if (archiving !== undefined) await this.materialiser.resyncPersonTasks(municipalityId, roleUnits, causedBy(actor, archiving ? 'person-archived' : 'person-restored'));
    return updated;
  }

  private async find(municipalityId: string, id: string, repository = this.dataSource.getRepository(Person)): Promise<Person> {
    const person = await repository.findOneBy({ id, municipalityId });
    if (!person) throw new NotFoundProblem('Person', id);
    return person;
  }
}

function duplicateEmail(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    throw new ConflictProblem('duplicate-email', 'Somebody in your municipality already has this e-mail address.');
  }
  throw error;
}
