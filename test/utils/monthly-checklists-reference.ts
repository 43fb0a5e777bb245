import { DataSource } from 'typeorm';
import { OccurrenceItemDto } from '../../src/occurrences/dtos/checklist.dto';
import { ChecklistService } from '../../src/occurrences/services/checklist.service';
import { reminderLink } from '../../src/notifications/links';
import { Language, monthlyChecklistMessage, ReminderItem } from '../../src/notifications/messages';
import { PlannedMessage } from '../../src/notifications/services/reminder-planner';
import { LocalDate } from '../../src/schedule/local-date';

/**
 * The monthly checklists as the planner made them until issue 18: one checklist query per manager
 * (ChecklistService.checklist, the page's own). Kept as the reference the set-based planning must equal.
 */
export async function referenceMonthlyChecklists(
  dataSource: DataSource,
  checklists: ChecklistService,
  publicBaseUrl: string,
  municipalityId: string,
  today: LocalDate,
): Promise<PlannedMessage[]> {
  const taskLink = (occurrenceId: string) => reminderLink(publicBaseUrl, { kind: 'task', occurrenceId, unitId: null, forDate: '' });
  const month = today.slice(0, 7);
  const managers: Array<{ person_id: string; unit_id: string; unit_name: string; email: string; teams_id: string; wants_email: boolean; wants_teams: boolean; language: Language; webhook: string | null }> =
    await dataSource.query(
      `SELECT ra.person_id, ra.unit_id, u.name AS unit_name, p.email, COALESCE(p.entra_object_id, p.email) AS teams_id,
              COALESCE(np.email, true) AS wants_email, COALESCE(np.teams, false) AS wants_teams, COALESCE(np.language, 'nb') AS language,
              u.teams_webhook_url AS webhook
         FROM role_assignment ra JOIN unit u ON u.id = ra.unit_id AND u.archived_at IS NULL
         JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
         LEFT JOIN notification_preference np ON np.person_id = p.id
        WHERE ra.municipality_id = $1 AND ra.role = 'manager'
        ORDER BY u.name, p.email`,
      [municipalityId],
    );
  const planned: PlannedMessage[] = [];
  const webhooksDone = new Set<string>();
  for (const manager of managers) {
    const link = reminderLink(publicBaseUrl, { kind: 'monthly_checklist', occurrenceId: null, unitId: manager.unit_id, forDate: today });
    const checklist = await checklists.checklist(municipalityId, manager.unit_id, month, true, today);
    const all = checklist.groups.flatMap((g) => g.items.flatMap((i) => i.people ?? [i as OccurrenceItemDto]));
    const toReminderItem = (i: (typeof all)[number]): ReminderItem => ({
      occurrenceId: i.occurrenceId,
      title: i.title,
      unitName: i.unitName,
      recipientCode: i.recipientCode,
      deadline: i.deadline,
      owners: i.owners.map((o) => o.displayName),
    });
    const ownerless = all.filter((i) => i.owners.length === 0).map(toReminderItem);
    const owned = all.filter((i) => i.owners.length > 0);
    const overdue = owned.filter((i) => i.fromEarlierMonth).map(toReminderItem);
    const items = owned.filter((i) => !i.fromEarlierMonth).map(toReminderItem);
    const message = monthlyChecklistMessage(manager.unit_name, month, items, overdue, taskLink, manager.language, link, ownerless);
    const base = { municipalityId, kind: 'monthly_checklist' as const, unitId: manager.unit_id, occurrenceId: null, itemIds: all.map((i) => i.occurrenceId), forDate: today, link, message };
    for (const channel of [...(manager.wants_email ? ['email' as const] : []), ...(manager.wants_teams ? ['teams' as const] : [])]) {
      planned.push({
        ...base,
        dedupeKey: `monthly_checklist:${manager.unit_id}:${manager.person_id}:${channel}:${month}`,
        channel,
        personId: manager.person_id,
        address: channel === 'email' ? manager.email : manager.teams_id,
      });
    }
    if (manager.webhook && !webhooksDone.has(manager.unit_id)) {
      webhooksDone.add(manager.unit_id);
      planned.push({ ...base, dedupeKey: `monthly_checklist:${manager.unit_id}:channel:teams_channel:${month}`, channel: 'teams_channel', personId: null, address: manager.webhook });
    }
  }
  return planned;
}
