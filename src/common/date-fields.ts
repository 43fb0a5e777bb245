import { ValidateBy } from 'class-validator';
import { isLocalDate } from '../schedule/local-date';

/**
 * A local date, 'YYYY-MM-DD', that is in the calendar: 2027-02-30 is refused here with a 422, before
 * PostgreSQL could refuse it with an error (or JavaScript roll it over into March).
 */
export const IsCalendarDate = (example = '2027-01-01') =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (value) => isLocalDate(value), defaultMessage: () => `is not a date in the calendar (write e.g. ${example})` },
  });

/** A month, 'YYYY-MM', of a year PostgreSQL and the calendar both know. */
export const IsCalendarMonth = (example = '2027-02') =>
  ValidateBy({
    name: 'isCalendarMonth',
    validator: {
      validate: (value) => typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) && isLocalDate(`${value}-01`),
      defaultMessage: () => `must be a month such as ${example}`,
    },
  });
