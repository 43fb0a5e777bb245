import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { Clock } from '../../common/clock';
import { ConflictProblem, NotFoundProblem, ProblemException, ValidationProblem } from '../../common/problem';
import { localDateAt } from '../../schedule/local-date';
import { CorrectionRequest, Outcome, SignOffDto, SignOffRequest } from '../dtos/sign-off.dto';
import { RepeatChainService } from '../../occurrences/services/repeat-chain.service';
import { Grouped } from '../../database/grouped-statements';
import { prepared } from '../../database/prepared-statements';
import { noteWrite } from '../../database/read-database';
import {
  appendRecord,
  ChainHead,
  ChainMovedError,
  insertAfter,
  insertSealedTogether,
  NewRecord,
  RecordRow,
  sealAfter,
  SealedRecord,
  toSignOffDto,
} from './record-chain';

export class NotYourTaskProblem extends ProblemException {
  constructor(detail: string) {
    super(HttpStatus.FORBIDDEN, 'not-your-task', 'Ikke din oppgave', detail);
  }
}

interface OccurrenceRow {
  id: string;
  municipality_id: string;
  unit_id: string;
  unit_name: string;
  deadline: string;
  cancelled_at: Date | null;
  task_title: string;
  wheel_name: string;
  recipient_code: string | null;
  stored_in: string | null;
  comment_required: boolean;
  responsible_role: string;
  time_zone: string;
  /** Whose own duty this is, for a task of scope `person`. */
  person_id: string | null;
  person_name: string | null;
}

/** An occurrence as a sign-off sees it: with the signer's relation to it and the record that stands now. */
interface SigningRow extends OccurrenceRow {
  signer_is_owner: boolean;
  signer_name: string;
  standing_id: string | null;
  standing_outcome: Outcome | null;
  head_sequence: string | null;
  head_hash: string | null;
  /** The task repeats a duration after its last completion: a sign-off also makes the next occurrence. */
  repeats: boolean;
}

/** A sign-off that finds its place in the chain taken (or the chain locked) this often joins the unit's line. */
const OPTIMISTIC_ATTEMPTS = 2;
/** At most this many records of a unit are appended in one transaction. */
const LINE_BATCH = 50;
/**
 * At most this many sign-offs of a municipality are read, or inserted, in one statement. Reads run one batch
 * at a time, inserts two (a batch's commit waits for its flush to disk meanwhile): with 20 signers, the fewest
 * CPU per sign-off of the settings measured (bench/README.md, "Eighth round").
 */
const GROUP_ITEMS = 50;

/** What a sign-off reads, for the sign-offs of one municipality that arrive together. */
const SIGNING_ROWS = prepared(
  `SELECT sign_off_signing_row(x.occurrence, $1, x.person) AS signing
     FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS x(occurrence, person, n) ORDER BY x.n`,
);

interface SigningRead {
  municipalityId: string;
  occurrenceId: string;
  personId: string;
}

interface Waiting {
  record: NewRecord;
  alone: () => Promise<SignOffDto>;
  done: (signOff: SignOffDto) => void;
  failed: (error: unknown) => void;
}

const OCCURRENCE_COLUMNS = `
  o.id, o.municipality_id, o.unit_id, u.name AS unit_name, o.deadline, o.cancelled_at, t.title AS task_title, w.name AS wheel_name,
  r.code AS recipient_code, t.stored_in, t.comment_required, t.responsible_role, m.time_zone, o.person_id, pp.display_name AS person_name`;
const OCCURRENCE_JOINS = `
  occurrence o
  JOIN task_definition t ON t.id = o.task_id
  JOIN wheel w ON w.id = t.wheel_id
  JOIN unit u ON u.id = o.unit_id
  JOIN municipality m ON m.id = o.municipality_id
  LEFT JOIN recipient r ON r.id = o.recipient_id
  LEFT JOIN person pp ON pp.id = o.person_id`;

/**
 * Signing off occurrences ("Signeres ved gjennomført") and correcting signed records. Nothing here ever
 * updates a record: a correction is a new record that supersedes the old, and both stay.
 */
@Injectable()
export class SignOffsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly chains: RepeatChainService,
  ) {}

  /** The sign-offs waiting for their unit's chain on this replica, by unit, while a batch is appended. */
  private readonly lines = new Map<string, Waiting[]>();

  /** The reads of the sign-offs that arrive together, one statement for a municipality's (group commit). */
  private readonly signingReads = new Grouped<SigningRead, SigningRow | null>({ run: (reads) => this.readTogether(reads), maxItems: GROUP_ITEMS, inFlight: 1 });
  /** Their records, one statement and one commit for a municipality's. */
  private readonly inserts = new Grouped<SealedRecord, RecordRow>({ run: (records) => this.insertTogether(records), maxItems: GROUP_ITEMS, inFlight: 2 });

  /**
   * Two round trips when the unit is quiet: one read of everything a sign-off checks, including the head
   * of the unit's chain, then one INSERT of the record sealed after that head. The sign-offs of a
   * municipality that arrive together share each round trip (group commit: readTogether, insertTogether).
   * If another record took the place after that head first, the INSERT skips the record (the unique (unit,
   * sequence) is its arbiter) and the sign-off is prepared again; in a busy unit (again taken, or a line
   * already waiting on this replica) it joins the unit's line (inLine). A task that repeats after its last completion takes the
   * locked path at once: its next occurrence is made in the same transaction as the sign-off
   * (signedOffRepeating).
   */
  async signOff(actor: AuthenticatedPerson, occurrenceId: string, request: SignOffRequest): Promise<SignOffDto> {
    const signed = await this.signOffOnce(actor, occurrenceId, request);
    // The writes ran as functions in a batch's statement, which the pool does not see as writes: this request's
    // person reads the primary for a while (ReadDatabase), so their next page shows the record.
    noteWrite();
    return signed;
  }

  private async signOffOnce(actor: AuthenticatedPerson, occurrenceId: string, request: SignOffRequest): Promise<SignOffDto> {
    for (let attempt = 1; ; attempt++) {
      const { record, head, repeats } = await this.prepareSignOff(null, actor, occurrenceId, request);
      if (repeats) return this.signOffRepeating(actor, occurrenceId, request);
      if (attempt > OPTIMISTIC_ATTEMPTS || this.lines.has(record.unitId)) {
        return this.inLine(record, () =>
          whileChainMoves(() =>
            this.dataSource.transaction(async (tx) => {
              const { record } = await this.prepareSignOff(tx, actor, occurrenceId, request);
              return toSignOffDto(await appendRecord(tx, record).catch(refuseSecondSignOff));
            }),
          ),
        );
      }
      try {
        return toSignOffDto(await this.inserts.add(actor.municipalityId, sealAfter(record, head)).catch(refuseSecondSignOff));
      } catch (error) {
        if (!(error instanceof ChainMovedError)) throw error;
      }
    }
  }

  /**
   * Group commit of a busy unit's sign-offs on this replica: while one batch is appended, the records that
   * arrive wait in the unit's line; the next batch is appended in one transaction, under the unit's chain
   * lock (sign_off_chain_head), each record sealed after the one before, with one commit for all. Each
   * answer waits for that commit. A batch with a refused record (signed meanwhile, say) is undone, and each
   * of its sign-offs is then made alone (`alone`: checked again, under the lock), with its own answer.
   * Other replicas' sign-offs of the unit wait for the same lock: the chain never forks.
   */
  private inLine(record: NewRecord, alone: () => Promise<SignOffDto>): Promise<SignOffDto> {
    return new Promise<SignOffDto>((done, failed) => {
      const waiting = { record, alone, done, failed };
      const line = this.lines.get(record.unitId);
      if (line) return void line.push(waiting);
      this.lines.set(record.unitId, [waiting]);
      void this.appendLine(record.unitId);
    });
  }

  private async appendLine(unitId: string): Promise<void> {
    try {
      for (let batch = this.lines.get(unitId)!.splice(0, LINE_BATCH); batch.length > 0; batch = this.lines.get(unitId)!.splice(0, LINE_BATCH)) {
        try {
          const rows = await whileChainMoves(() =>
            this.dataSource.transaction(async (tx) => {
              const [last] = await tx.query(`SELECT sequence, hash FROM sign_off_chain_head($1)`, [unitId]);
              let head: ChainHead | null = last ? { sequence: Number(last.sequence), hash: last.hash } : null;
              const appended: RecordRow[] = [];
              for (const { record } of batch) {
                const row = await insertAfter(tx, record, head);
                appended.push(row);
                head = { sequence: Number(row.sequence), hash: row.hash };
              }
              return appended;
            }),
          );
          batch.forEach((waiting, i) => waiting.done(toSignOffDto(rows[i])));
        } catch (error) {
          if (batch.length === 1) {
            try {
              refuseSecondSignOff(error);
            } catch (refused) {
              batch[0].failed(refused);
            }
          } else {
            for (const waiting of batch) waiting.alone().then(waiting.done, waiting.failed);
          }
        }
      }
    } finally {
      this.lines.delete(unitId);
    }
  }

  /** Each read's signing row (null: no such occurrence in the municipality), in one statement. */
  private async readTogether(reads: SigningRead[]): Promise<Array<SigningRow | null | Error>> {
    try {
      const rows: Array<{ signing: SigningRow | null }> = await this.dataSource.query(SIGNING_ROWS, [
        reads[0].municipalityId,
        reads.map((r) => r.occurrenceId),
        reads.map((r) => r.personId),
      ]);
      return rows.map((row) => row.signing);
    } catch (error) {
      if (reads.length === 1) return [error as Error];
      // Whatever failed the statement fails only its own read.
      return Promise.all(reads.map((read) => this.readTogether([read]).then(([row]) => row)));
    }
  }

  /**
   * Inserts records of the municipality's units in one statement (insertSealedTogether). A record whose place
   * was taken meanwhile is skipped, and only that sign-off is prepared again (ChainMovedError). A record
   * refused (the occurrence signed meanwhile, say) undoes the statement; then each record is inserted alone,
   * with its own answer.
   */
  private async insertTogether(records: SealedRecord[]): Promise<Array<RecordRow | Error>> {
    try {
      return await insertSealedTogether(this.dataSource.manager, records);
    } catch (error) {
      if (records.length === 1) return [error as Error];
      return Promise.all(records.map((record) => insertSealedTogether(this.dataSource.manager, [record]).then(([row]) => row, (e: Error) => e)));
    }
  }

  /** The sign-off of a repeating task and its next occurrence, together or not at all. */
  private signOffRepeating(actor: AuthenticatedPerson, occurrenceId: string, request: SignOffRequest): Promise<SignOffDto> {
    return whileChainMoves(() =>
      this.dataSource.transaction(async (tx) => {
        const { record } = await this.prepareSignOff(tx, actor, occurrenceId, request);
        const row = await appendRecord(tx, record).catch(refuseSecondSignOff);
        await this.chains.completed(tx, actor, occurrenceId, new Date(record.signedAt));
        return toSignOffDto(row);
      }),
    );
  }

  /** Checks that the actor may sign the occurrence now, and builds the record they would sign. */
  private async prepareSignOff(
    tx: EntityManager | null,
    actor: AuthenticatedPerson,
    occurrenceId: string,
    request: SignOffRequest,
  ): Promise<{ record: NewRecord; head: ChainHead | null; repeats: boolean }> {
    // One read for what a sign-off checks (round trips are most of its time: see bench/README.md), by a
    // function whose plan the connection keeps (migration SignOffFunction); outside a transaction (tx null),
    // together with the other sign-offs of the municipality that arrive meanwhile.
    const read = { municipalityId: actor.municipalityId, occurrenceId, personId: actor.personId };
    const occurrence: SigningRow | null = tx
      ? (await tx.query(`SELECT sign_off_signing_row($1, $2, $3) AS signing`, [occurrenceId, actor.municipalityId, actor.personId]))[0].signing
      : await this.signingReads.add(actor.municipalityId, read);
    if (!occurrence) throw new NotFoundProblem('Occurrence', occurrenceId);
    if (occurrence.cancelled_at) throw new ConflictProblem('cancelled', 'This occurrence was cancelled (its task or recipient is gone) and cannot be signed.');
    let onBehalfOf: { id: string; displayName: string } | undefined;
    // A duty per person is owned by that person alone, so another employee is refused here like anyone
    // who is not an owner; a manager who signs it signs on the person's behalf, and the record says whose.
    const signerIsOwner = occurrence.signer_is_owner || occurrence.person_id === actor.personId;
    const signerIsManager = !signerIsOwner && (await this.access.hasRoleOver(actor.personId, actor.municipalityId, occurrence.unit_id, ['manager']));
    if (signerIsManager && occurrence.person_id) onBehalfOf = { id: occurrence.person_id, displayName: occurrence.person_name! };
    if (!signerIsOwner && !signerIsManager) {
      // A deputy (stedfortreder) of an owner, during the owner's absence, signs on their behalf.
      const today = localDateAt(this.clock.now(), occurrence.time_zone);
      const [absent] = await (tx ?? this.dataSource.manager).query(
        `SELECT p.id, p.display_name FROM occurrence_owner oo JOIN deputy d ON d.person_id = oo.person_id JOIN person p ON p.id = oo.person_id
          WHERE oo.occurrence_id = $1 AND d.deputy_id = $2 AND $3 BETWEEN d.from_date AND d.to_date LIMIT 1`,
        [occurrenceId, actor.personId, today],
      );
      if (!absent) throw new NotYourTaskProblem('Only the task’s owners, their deputies and the managers of its unit may sign it off.');
      onBehalfOf = { id: absent.id, displayName: absent.display_name };
    }
    validateContent(request.outcome, request.comment, occurrence.comment_required);

    if (occurrence.standing_outcome) throw new AlreadySignedProblem();
    const signedAt = this.clock.now();
    const record: NewRecord = {
      municipalityId: actor.municipalityId,
      unitId: occurrence.unit_id,
      occurrenceId,
      kind: 'sign_off',
      outcome: request.outcome,
      late: localDateAt(signedAt, occurrence.time_zone) > occurrence.deadline,
      comment: request.comment || null,
      storedIn: request.storedIn || occurrence.stored_in,
      evidenceUrl: request.evidenceUrl ?? null,
      signedBy: actor.personId,
      signedByName: occurrence.signer_name,
      signedAt: signedAt.toISOString(),
      supersedesId: occurrence.standing_id, // after a revocation, the new sign-off continues the line
      reason: null,
      snapshot: snapshotOf(occurrence),
      ...(onBehalfOf ? { onBehalfOf } : {}),
    };
    const head = occurrence.head_sequence === null ? null : { sequence: Number(occurrence.head_sequence), hash: occurrence.head_hash! };
    return { record, head, repeats: occurrence.repeats };
  }

  async correct(actor: AuthenticatedPerson, recordId: string, request: CorrectionRequest): Promise<SignOffDto> {
    return whileChainMoves(() => this.correctOnce(actor, recordId, request));
  }

  private correctOnce(actor: AuthenticatedPerson, recordId: string, request: CorrectionRequest): Promise<SignOffDto> {
    return this.dataSource.transaction(async (tx) => {
      const [record]: RecordRow[] = await tx.query(`SELECT * FROM sign_off WHERE id = $1 AND municipality_id = $2`, [recordId, actor.municipalityId]);
      if (!record) throw new NotFoundProblem('Sign-off', recordId);
      if (record.signed_by !== actor.personId && !(await this.access.hasRoleOver(actor.personId, actor.municipalityId, record.unit_id, ['manager']))) {
        throw new NotYourTaskProblem('Only the person who signed and the managers of the unit may correct a record.');
      }
      const [later] = await tx.query(`SELECT id FROM sign_off WHERE supersedes_id = $1`, [recordId]);
      if (later) throw new ConflictProblem('already-corrected', `This record has been corrected already; correct the latest record (${later.id}).`);
      if (!record.outcome) throw new ConflictProblem('revoked', 'This record revoked a sign-off; sign the occurrence again instead.');
      const occurrence = await this.occurrence(tx, actor.municipalityId, record.occurrence_id);
      // Its text (comment, Lagres, link, reason) was checked for fødselsnummer and broken characters by the DTO.
      if (request.outcome) validateContent(request.outcome, request.comment, occurrence.comment_required);

      const row = await appendRecord(tx, {
        municipalityId: actor.municipalityId,
        unitId: record.unit_id,
        occurrenceId: record.occurrence_id,
        kind: 'correction',
        outcome: request.outcome ?? null,
        // A replacement corrects what was recorded about work done then; its lateness is that of the original.
        late: request.outcome ? record.late : false,
        comment: request.comment || null,
        storedIn: request.outcome ? request.storedIn || record.stored_in : null,
        evidenceUrl: request.evidenceUrl ?? null,
        signedBy: actor.personId,
        signedByName: await this.displayName(tx, actor.personId),
        signedAt: this.clock.now().toISOString(),
        supersedesId: record.id,
        reason: request.reason,
        snapshot: record.snapshot,
      }).catch(refuseSecondSignOff);
      // A revoked sign-off of a repeating task no longer makes its next occurrence.
      if (!request.outcome) await this.chains.completionRevoked(tx, actor, record.occurrence_id);
      return toSignOffDto(row);
    });
  }

  /** Every record of an occurrence, oldest first: the sign-off, its corrections, and any new sign-off. */
  async history(municipalityId: string, occurrenceId: string): Promise<SignOffDto[]> {
    const rows: RecordRow[] = await this.dataSource.query(
      `SELECT * FROM sign_off WHERE occurrence_id = $1 AND municipality_id = $2 ORDER BY sequence`,
      [occurrenceId, municipalityId],
    );
    return rows.map(toSignOffDto);
  }

  private async occurrence(tx: EntityManager, municipalityId: string, occurrenceId: string): Promise<OccurrenceRow> {
    const [row] = await tx.query(`SELECT ${OCCURRENCE_COLUMNS} FROM ${OCCURRENCE_JOINS} WHERE o.id = $1 AND o.municipality_id = $2`, [
      occurrenceId,
      municipalityId,
    ]);
    if (!row) throw new NotFoundProblem('Occurrence', occurrenceId);
    return row;
  }

  private async displayName(tx: EntityManager, personId: string): Promise<string> {
    const [row] = await tx.query(`SELECT display_name FROM person WHERE id = $1`, [personId]);
    return row.display_name;
  }
}

export class AlreadySignedProblem extends ConflictProblem {
  constructor() {
    super('already-signed', 'This occurrence is signed off already. To change the record, correct it.');
  }
}

/** What a record keeps of the occurrence it signs, so that later template edits cannot change it. */
export function snapshotOf(
  o: Pick<OccurrenceRow, 'task_title' | 'wheel_name' | 'unit_name' | 'recipient_code' | 'deadline' | 'stored_in' | 'responsible_role'> &
    Partial<Pick<OccurrenceRow, 'person_id' | 'person_name'>>,
): Record<string, unknown> {
  return {
    // Only for a duty per person, so the records of other tasks keep the shape (and hashes) they always had.
    ...(o.person_id ? { person: { id: o.person_id, displayName: o.person_name } } : {}),
    taskTitle: o.task_title,
    wheelName: o.wheel_name,
    unitName: o.unit_name,
    recipientCode: o.recipient_code,
    deadline: o.deadline,
    storedIn: o.stored_in,
    responsibleRole: o.responsible_role,
  };
}

function validateContent(outcome: Outcome, comment: string | undefined, commentRequired: boolean): void {
  if (!comment && outcome === 'not_applicable') {
    throw new ValidationProblem([{ field: 'comment', message: 'is required when the task is not applicable: say why' }]);
  }
  if (!comment && commentRequired) throw new ValidationProblem([{ field: 'comment', message: 'is required for this task' }]);
}

/**
 * Runs a locked append again should its place in the chain be taken after all. (An optimistic insert
 * needs the unit's lock free, so while a transaction holds it none can slip in: this is a safety net.)
 */
async function whileChainMoves<T>(append: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await append();
    } catch (error) {
      if (!(error instanceof ChainMovedError) || attempt === 10) throw error;
    }
  }
}

/** The unique indexes on the line of records turn a racing second sign-off into a clear 409. */
function refuseSecondSignOff(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    const constraint = (error.driverError as { constraint?: string }).constraint ?? '';
    if (constraint.startsWith('sign_off_first') || constraint.startsWith('sign_off_superseded')) throw new AlreadySignedProblem();
  }
  throw error;
}
