/**
 * Where a reminder points. Worked out from what an outbox row keeps (kind, occurrence, unit, date), so
 * the planner's message text and the link a channel sends (Teams' webUrl, the card's button) agree.
 */
export function reminderLink(
  publicBaseUrl: string,
  message: { kind: string; occurrenceId: string | null; unitId: string | null; forDate: string },
): string {
  if (message.kind === 'monthly_checklist' && message.unitId) {
    // The checklist page's own parameters (src/web): the unit, its month, and its sub-units, as the message lists them.
    // A checklist goes out on the month's first working day, so the date's month is the checklist's.
    const query = new URLSearchParams({ enhet: message.unitId, maned: message.forDate.slice(0, 7), underenheter: '1' });
    return `${publicBaseUrl}/sjekkliste?${query}`;
  }
  if (message.kind === 'chain_imprint') return `${publicBaseUrl}/internkontroll`;
  if (message.occurrenceId) return `${publicBaseUrl}/oppgaver/${message.occurrenceId}`;
  return `${publicBaseUrl}/oppgaver`;
}
