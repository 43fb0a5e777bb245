import { isWorkingDay } from '../../schedule/holidays';
import { deadlinesInYear } from '../../schedule/recurrence';
import { WHEEL_LIBRARY } from './wheel-library';

const tasks = WHEEL_LIBRARY.flatMap((w) => w.tasks.map((task) => ({ wheel: w.key, task })));
const deadlines = (task: (typeof tasks)[number]['task'], year: number) =>
  deadlinesInYear({ rrule: task.rrule, startsOn: task.startsOn ?? '2025-01-01', shift: task.deadlineShift ?? 'none' }, year).map((d) => d.deadline);

describe('the seed wheels fall on working days', () => {
  it.each(tasks.map(({ wheel, task }) => [wheel, task.title, task]))('%s: «%s» is due on working days only, 2027–2030', (_w, _t, task) => {
    const off = [2027, 2028, 2029, 2030].flatMap((year) => deadlines(task, year)).filter((d) => !isWorkingDay(d));
    expect(off).toEqual([]);
  });

  it('moves the monthly internal teaching off Langfredag and Skjærtorsdag 2029 to Wednesday 28 March', () => {
    const teaching = tasks.find(({ task }) => task.title === 'Internundervisning i avdelingen')!.task;
    expect(deadlines(teaching, 2029)).toContain('2029-03-28');
    expect(deadlines(teaching, 2029)).not.toContain('2029-03-30');
  });

  it('marks every row the seeds do not give as an example, and no row of the seed’s January–April', () => {
    const leaders = WHEEL_LIBRARY.find((w) => w.key === 'ledere')!.tasks;
    expect(leaders.filter((t) => (t.sourceMonth ?? 13) <= 4 && t.example)).toEqual([]);
    expect(leaders.filter((t) => (t.sourceMonth ?? 13) <= 4)).toHaveLength(23);
    for (const key of ['primaerkontakter', 'fag-og-kompetanse']) expect(WHEEL_LIBRARY.find((w) => w.key === key)!.tasks.every((t) => t.example)).toBe(true);
  });
});
