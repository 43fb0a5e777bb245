import type { DeadlineShift } from '../../schedule/holidays';
import type { WheelKind } from '../entities/wheel.entity';
import type { TaskScope } from '../entities/task-definition.entity';

/** A wheel as the library holds it: the seed wheels every municipality can copy. */
export interface LibraryWheel {
  key: string;
  name: string;
  kind: WheelKind;
  description: string;
  tasks: LibraryTask[];
}

export interface LibraryTask {
  title: string;
  rrule: string;
  responsibleRole: string;
  storedIn?: string;
  description?: string;
  startsOn?: string;
  opensDaysBefore?: number;
  deadlineShift?: DeadlineShift;
  scope?: TaskScope;
  commentRequired?: boolean;
  legalBasis?: string;
}

const EXAMPLE = 'Eksempel – tilpass til egen enhet.';

/** A task due by the last day of `month`, moved back to a working day: one row of a month block. */
function monthRow(month: number, title: string, extra: Omit<LibraryTask, 'title' | 'rrule'> = { responsibleRole: 'manager' }): LibraryTask {
  return { title, rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=-1`, deadlineShift: 'previous', opensDaysBefore: 27, ...extra };
}

const manager = (storedIn?: string, more: Partial<LibraryTask> = {}) => ({ responsibleRole: 'manager', storedIn, ...more });

/**
 * The wheels of seed 003 (Molde and Kristiansund's bo- og habiliteringstjeneste), seed 004 (kompetanse-
 * og innovasjonstilskudd) and seed 001 (the municipal planning cycle). January–April of the managers'
 * wheel are the seed's rows verbatim; the other months are examples in the same spirit.
 */
export const WHEEL_LIBRARY: LibraryWheel[] = [
  {
    key: 'ledere',
    name: 'Årshjul for ledere — bo og habilitering',
    kind: 'manager',
    description:
      'Hva enhets- og avdelingsledere skal gjøre hver måned. Signeres ved gjennomført; årshjulet fungerer som internkontroll. ' +
      'Januar–april er fra Molde og Kristiansund; mai–desember er eksempler.',
    tasks: [
      monthRow(1, 'Heng opp informasjon om sommerpuljer (når delestrek er avklart)', manager()),
      monthRow(1, 'Utarbeide årets plan for internundervisning i avdeling (NAKU sine temasider)', manager()),
      monthRow(1, 'VFR: Fyller inn eventuell overført ferie og avspasering for ansatte', manager('VFR')),
      monthRow(1, 'Opprette skjema på Teams: Behov sommervikarer', manager('Teams')),
      monthRow(1, 'Ressursfordelingskartlegging', manager()),
      monthRow(1, 'Lyse ut etter sommervikarer', manager()),
      monthRow(2, 'Kontakt tidligere sommervikarer og meld inn behov for vikarer i skjema på Teams', manager('Teams')),
      monthRow(2, 'Påske-/mai-/pinseturnus planlegges', manager()),
      monthRow(2, 'Egenvurdering av legemiddelhåndteringsrutinene (Compilo)', manager('Compilo', { legalBasis: 'Legemiddelhåndteringsforskriften § 4' })),
      monthRow(2, 'Ansatte registrerer ferieønsker i VFR, frist 1. mars', { responsibleRole: 'staff', storedIn: 'VFR' }),
      monthRow(2, 'Kalle inn til medarbeidersamtaler i Kompetanseportalen', manager('Kompetanseportalen')),
      monthRow(2, 'Kalle inn til seniorsamtaler', manager()),
      monthRow(2, 'Påse at årskontroll hos fastlege blir bestilt', manager()),
      monthRow(2, 'Kartlegging av arbeidsmiljøet og arbeidsmiljøarbeidet (Compilo)', manager('Compilo')),
      monthRow(2, 'Planlegg HMS-dag', manager()),
      monthRow(3, 'Hovedferien plasseres, frist 1. april', manager()),
      monthRow(3, 'Melde inn behov for sommervikarer i skjema på Teams', manager('Teams')),
      monthRow(3, 'ROS-analyse vold og trusler', manager()),
      monthRow(3, 'Halvårsevaluering av tjenestetilbudet til brukerne – Fagrapport', manager()),
      monthRow(4, 'Start/fullfør utarbeidelse av sommerturnus', manager()),
      monthRow(4, 'Send inn arbeidsavtaler og dokumentasjon på sommervikarer til personalseksjonen', manager()),
      monthRow(4, 'Gjennomfør HMS-dag', manager()),
      monthRow(4, 'Planlegg sommeravslutning/sosialt arrangement', manager()),
      monthRow(5, 'Evaluer påske-/mai-/pinseturnus', manager(undefined, { description: EXAMPLE })),
      monthRow(5, 'Opplæringsplan for sommervikarer er klar', manager('Kompetanseportalen', { description: EXAMPLE })),
      monthRow(6, 'Gjennomfør sommeravslutning/sosialt arrangement', manager(undefined, { description: EXAMPLE })),
      monthRow(6, 'Sommervikarer har fått opplæring og tilgang til fagsystemer', manager(undefined, { description: EXAMPLE })),
      monthRow(8, 'Gjennomgå rutiner og avvik med personalgruppen etter ferien', manager('Compilo', { description: EXAMPLE })),
      monthRow(9, 'Halvårsevaluering av tjenestetilbudet til brukerne – Fagrapport', manager(undefined, { description: EXAMPLE })),
      monthRow(9, 'Juleturnus planlegges', manager(undefined, { description: EXAMPLE })),
      monthRow(10, 'Innspill til budsjett og økonomiplan for neste år', manager(undefined, { description: EXAMPLE })),
      monthRow(11, 'Juleturnus publiseres', manager(undefined, { description: EXAMPLE })),
      monthRow(12, 'Årsgjennomgang av avvik og uønskede hendelser (Compilo)', manager('Compilo', { description: EXAMPLE })),
      monthRow(12, 'Evaluer årshjulet og planlegg neste år', manager(undefined, { description: EXAMPLE })),
    ],
  },
  {
    key: 'primaerkontakter',
    name: 'Årshjul for primærkontakter',
    kind: 'primary_contact',
    description: 'Hva hver primærkontakt skal gjøre for hver tjenestemottaker gjennom året.',
    tasks: [
      monthRow(2, 'Påse at årskontroll hos fastlege er bestilt', { responsibleRole: 'primary_contact', scope: 'recipient', storedIn: 'Helseplattformen' }),
      {
        title: 'Halvårsevaluering av tjenestetilbudet – Fagrapport',
        rrule: 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1',
        startsOn: '2026-03-01',
        deadlineShift: 'previous',
        opensDaysBefore: 27,
        responsibleRole: 'primary_contact',
        scope: 'recipient',
        storedIn: 'Helseplattformen',
        commentRequired: true,
      },
      monthRow(10, 'Gjennomgå og oppdater tjenesteplanen', { responsibleRole: 'primary_contact', scope: 'recipient', storedIn: 'Helseplattformen' }),
      {
        title: 'Kontakt med pårørende/verge om tjenestetilbudet',
        rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1',
        startsOn: '2026-03-01',
        deadlineShift: 'previous',
        opensDaysBefore: 27,
        responsibleRole: 'primary_contact',
        scope: 'recipient',
        storedIn: 'Helseplattformen',
      },
      monthRow(5, 'Brukerundersøkelse «Min stemme teller»', { responsibleRole: 'primary_contact', scope: 'recipient' }),
    ],
  },
  {
    key: 'fag-og-kompetanse',
    name: 'Årshjul for fag og kompetanseheving',
    kind: 'competence',
    description: 'Internundervisning, kompetanseplan, medarbeidersamtaler og obligatoriske kurs.',
    tasks: [
      monthRow(1, 'Utarbeide årets plan for internundervisning', manager('Teams')),
      {
        title: 'Internundervisning i avdelingen',
        rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
        opensDaysBefore: 20,
        responsibleRole: 'manager',
        storedIn: 'Kompetanseportalen',
        description: 'Siste arbeidsdag i måneden.',
      },
      monthRow(3, 'Gjennomføre medarbeidersamtaler', manager('Kompetanseportalen')),
      monthRow(4, 'Legemiddelhåndtering: opplæring og kunnskapsprøve', {
        responsibleRole: 'staff',
        storedIn: 'Kompetanseportalen',
        legalBasis: 'Legemiddelhåndteringsforskriften § 4',
      }),
      monthRow(9, 'Oppdatere kompetanseplan for avdelingen', manager('Kompetanseportalen')),
      monthRow(10, 'Obligatorisk brannvernopplæring', { responsibleRole: 'staff', storedIn: 'Kompetanseportalen' }),
      monthRow(11, 'Opplæring i regelverket om tvang og makt (helse- og omsorgstjenesteloven kap. 9)', {
        responsibleRole: 'staff',
        storedIn: 'Kompetanseportalen',
        legalBasis: 'Helse- og omsorgstjenesteloven kap. 9',
      }),
    ],
  },
  {
    key: 'kompetanse-og-innovasjonstilskudd',
    name: 'Kompetanse- og innovasjonstilskudd',
    kind: 'custom',
    description: 'Statsforvalterens tilskudd: rapport innen 1. februar, søknad innen 1. mars, endringer i oktober.',
    tasks: [
      { title: 'Rapportere på fjorårets kompetanse- og innovasjonstilskudd', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=1', deadlineShift: 'previous', opensDaysBefore: 21, responsibleRole: 'manager' },
      { title: 'Søke kompetanse- og innovasjonstilskudd', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', deadlineShift: 'previous', opensDaysBefore: 28, responsibleRole: 'manager' },
      monthRow(10, 'Melde endringer i bruken av tilskuddet', manager()),
    ],
  },
  {
    key: 'ressursfordeling',
    name: 'Ressursfordeling',
    kind: 'custom',
    description: 'Ressursfordelingsteamets årlige gjennomgang, som starter i uke 47 hvert år.',
    tasks: [
      {
        title: 'Ressursfordelingskartlegging starter (uke 47)',
        rrule: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO',
        opensDaysBefore: 14,
        responsibleRole: 'resource_team',
        description: 'Gjennomgangen legger grunnlaget for nytt årsverk til driftsenhetene.',
      },
    ],
  },
  {
    key: 'kommunal-plansyklus',
    name: 'Kommunal plansyklus',
    kind: 'custom',
    description: 'Fireårig plansyklus etter hvert kommunevalg (2023, 2027, …) og årlig økonomiplan og budsjett.',
    tasks: [
      { title: 'Oppdatere oversikten over helsetilstanden (faktagrunnlag)', rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', startsOn: '2027-01-01', opensDaysBefore: 60, responsibleRole: 'admin' },
      { title: 'Kommunal planstrategi vedtas (senest ett år etter konstituering)', rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', startsOn: '2028-01-01', deadlineShift: 'previous', opensDaysBefore: 90, responsibleRole: 'admin', legalBasis: 'Plan- og bygningsloven § 10-1' },
      { title: 'Planprogram for kommuneplanens samfunnsdel på høring', rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=12;BYMONTHDAY=1', startsOn: '2028-01-01', deadlineShift: 'previous', opensDaysBefore: 60, responsibleRole: 'admin' },
      { title: 'Kommuneplanens samfunnsdel revidert', rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=6;BYMONTHDAY=30', startsOn: '2029-01-01', deadlineShift: 'previous', opensDaysBefore: 90, responsibleRole: 'admin' },
      { title: 'Økonomiplan og budsjett vedtas', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20', deadlineShift: 'previous', opensDaysBefore: 60, responsibleRole: 'admin', legalBasis: 'Kommuneloven § 14-2' },
    ],
  },
];
