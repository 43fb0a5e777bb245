import { EntityManager } from 'typeorm';
import { AuthenticatedPerson } from '../auth/authenticated-person';

/** Why occurrences were moved, cancelled or reinstated, as the trace (occurrence_change) names it. */
export type OccurrenceChangeReason =
  | 'materialised'
  | 'next-year'
  | 'demo-data'
  | 'task-created'
  | 'task-changed'
  | 'wheel-changed'
  | 'wheel-assigned'
  | 'wheel-assignment-removed'
  | 'wheel-replaced'
  | 'task-opted-out'
  | 'task-opt-out-ended'
  | 'recipient-added'
  | 'recipient-changed'
  | 'recipient-left'
  | 'recipient-reinstated'
  | 'recipient-moved'
  | 'unit-archived'
  | 'role-taken'
  | 'role-left'
  | 'person-archived'
  | 'person-restored'
  // A task repeating after its last completion: a sign-off makes the next one, a revoking correction takes it back.
  | 'completed'
  | 'completion-revoked'
  | 'recipient-date-set';

/** Who (a person, or null for the service's own jobs) and why. */
export interface OccurrenceChangeCause {
  actorId: string | null;
  reason: OccurrenceChangeReason;
}

export const causedBy = (actor: AuthenticatedPerson, reason: OccurrenceChangeReason): OccurrenceChangeCause => ({ actorId: actor.personId, reason });
export const causedBySystem = (reason: OccurrenceChangeReason): OccurrenceChangeCause => ({ actorId: null, reason });

/**
 * Tells the database who changes occurrences in this transaction and why: the trigger that writes the
 * trace reads it (migration OccurrenceIntegrity). Transaction-local, so it ends with the transaction and
 * never leaks to the next user of a pooled connection.
 */
export async function stateChangeCause(tx: EntityManager, cause: OccurrenceChangeCause): Promise<void> {
  await tx.query(`SELECT set_config('arshjul.actor', $1, true), set_config('arshjul.reason', $2, true)`, [cause.actorId ?? '', cause.reason]);
}
