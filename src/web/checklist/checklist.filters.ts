import { FieldProblem, ValidationProblem } from '../../common/problem';
import { normaliseText, textFault } from '../../common/text';
import { RECIPIENT_CODE } from '../../occurrences/dtos/checklist.dto';
import { CHECKLIST_PAGE_ROWS } from '../../occurrences/services/checklist.sql';
import { TEXTS } from '../i18n';
import { ChecklistFilters } from './checklist.page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = Object.keys(TEXTS.nb.status);
/** A cursor of the flat list carries a row's wheel, task and unit names: longer than the API's, still bounded. */
const MAX_CURSOR = 4000;

/**
 * The checklist page's filters from its address, each checked before it reaches SQL: a filter that is not
 * one (a wheel that is no id, an unknown status, a code the database could not hold, a damaged page cursor)
 * is refused with a page naming the field (422), not shown as an empty or unfiltered list. Empty means «Alle».
 */
export function checklistFilters(unitId: string, month: string, q: Record<string, unknown>): ChecklistFilters {
  const errors: FieldProblem[] = [];
  const text = (field: string): string | undefined => {
    const value = q[field];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      errors.push({ field, message: 'must be given once' });
      return undefined;
    }
    return value;
  };
  const check = (field: string, ok: (value: string) => boolean, message: string): string | undefined => {
    const value = text(field);
    if (value === undefined || ok(value)) return value;
    errors.push({ field, message });
    return undefined;
  };
  const id = (field: string, what: string) => check(field, (v) => UUID.test(v), `must be the id of ${what}`);

  const filters: ChecklistFilters = {
    unitId,
    month,
    subtree: q.underenheter === '1',
    wheelId: id('hjul', 'a wheel'),
    status: check('status', (v) => STATUSES.includes(v), `must be one of ${STATUSES.join(', ')}`),
    personId: id('person', 'a person'),
    code: check('kode', (v) => RECIPIENT_CODE.test(v.trim()), 'must be a recipient code: 2 to 32 letters A–Z, digits or hyphens')?.trim(),
    taskId: id('oppgave', 'a task'),
    after: check('etter', (v) => v.length <= MAX_CURSOR, 'is not a page of this list'),
    before: check('forrige', (v) => v.length <= MAX_CURSOR, 'is not a page of this list'),
  };
  const name = text('ansvarlig');
  if (name !== undefined) {
    // Searched for, never kept; still checked as any text entering Årshjul is.
    const fault = textFault(name) ?? (normaliseText(name).length > 100 ? 'must be at most 100 characters' : undefined);
    if (fault) errors.push({ field: 'ansvarlig', message: fault });
    else if (normaliseText(name)) filters.ownerName = normaliseText(name);
  }
  if (errors.length) throw new ValidationProblem(errors);
  return filters;
}

/** The flat list's page cursors (`etter`, `forrige`): a damaged one is refused naming its field. */
export const PAGE_CURSOR = {
  decodeField(field: 'etter' | 'forrige', cursor: string): unknown[] {
    try {
      return CHECKLIST_PAGE_ROWS.decode(cursor);
    } catch (error) {
      if (error instanceof ValidationProblem) throw new ValidationProblem([{ field, message: 'is not a page of this list: follow the page links as they come' }]);
      throw error;
    }
  },
};
