import { fileBaseName, norwegianDate, responsibleText } from './year-plan';

describe('the year plan wording', () => {
  it.each([
    ['Avdeling Fjellvegen', 2027, false, 'arsplan-avdeling-fjellvegen-2027'],
    ['Avdeling Åsen', 2027, true, 'arsplan-avdeling-asen-2027-utfylt'],
    ['Sjøgata bofellesskap / Ærfuglveien', 2028, false, 'arsplan-sjogata-bofellesskap-aerfuglveien-2028'],
    ['Čáhcesuolu', 2027, false, 'arsplan-cahcesuolu-2027'],
    ['"; rm -rf', 2027, false, 'arsplan-rm-rf-2027'],
    ['✱✱', 2027, false, 'arsplan-enhet-2027'],
  ])('names the file of %s %i (filled: %s) %s', (unit, year, filled, expected) => {
    expect(fileBaseName(unit, year, filled)).toBe(expected);
  });

  it('says Ansvar as the role in Norwegian, or as the imported table wrote it, then who holds it', () => {
    expect(responsibleText('manager', null, ['Anne Avdelingsleder'])).toBe('Leder: Anne Avdelingsleder');
    expect(responsibleText('staff', null, ['Per Primærkontakt', 'Siri Ansatt'])).toBe('Ansatte: Per Primærkontakt, Siri Ansatt');
    expect(responsibleText('manager', 'Avdelingsleder', ['Anne Avdelingsleder'])).toBe('Avdelingsleder: Anne Avdelingsleder');
    expect(responsibleText('resource_team', null, [])).toBe('Resource team');
  });

  it('prints dates as Norwegians write them', () => {
    expect(norwegianDate('2027-02-26')).toBe('26.02.2027');
  });
});
