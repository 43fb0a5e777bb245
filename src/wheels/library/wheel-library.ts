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
  /** The seed's month block the row stands under (1–12), as an imported row remembers it. */
  sourceMonth?: number;
  /** Invented for the library, not the seed's own words: shown as «Eksempel» on every page and in print. */
  example?: boolean;
}

type RowOptions = Omit<LibraryTask, 'title' | 'rrule'>;

/**
 * A row of a month block: due by the last day of `month`, moved back to a working day (every row of the
 * library moves off weekends and holidays: a deadline on Langfredag is no deadline).
 */
function monthRow(month: number, title: string, extra: RowOptions): LibraryTask {
  return { title, rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=-1`, deadlineShift: 'previous', opensDaysBefore: 27, sourceMonth: month, ...extra };
}

/** A row of `month`'s block whose text names its own deadline ("frist 1. mars"): due that day, or the working day before. */
function rowWithDeadline(month: number, title: string, due: { month: number; day: number }, extra: RowOptions): LibraryTask {
  return { ...monthRow(month, title, extra), rrule: `FREQ=YEARLY;BYMONTH=${due.month};BYMONTHDAY=${due.day}` };
}

const manager = (storedIn?: string, more: Partial<LibraryTask> = {}): RowOptions => ({ responsibleRole: 'manager', storedIn, ...more });
const example = (more: Partial<RowOptions> = {}): RowOptions => ({ responsibleRole: 'manager', example: true, ...more });
const forEachRecipient = (more: Partial<RowOptions> = {}): RowOptions => ({ responsibleRole: 'primary_contact', scope: 'recipient', example: true, ...more });

/** The seed gives no date: the wheel suggests one, and the municipality's own timetable wins. */
const SUGGESTED_DATE = 'Datoen er et forslag: kommunens egen tidsplan gjelder.';

/**
 * The wheels of seed 003 (Molde and Kristiansund's bo- og habiliteringstjeneste), seed 004 (kompetanse-
 * og innovasjonstilskudd), seed 002 (individuell plan) and seed 001 (the municipal planning cycle).
 * January–April of the managers' wheel are the seed's 23 rows, each whole and verbatim (two typos of the
 * source corrected: "ferieansker", "fulfjer"); test/fixtures/seed-003.txt holds the seed's table and a test
 * compares the demo's titles with it. Rows the seeds do not give are examples (`example: true`).
 */
export const WHEEL_LIBRARY: LibraryWheel[] = [
  {
    key: 'ledere',
    name: 'Årshjul for ledere — bo og habilitering',
    kind: 'manager',
    description:
      'Hva enhets- og avdelingsledere skal gjøre hver måned. Signeres ved gjennomført; årshjulet fungerer som internkontroll. ' +
      'Januar–april er Molde og Kristiansunds egne rader; mai–desember er eksempler (merket «Eksempel»), ' +
      'utenom de nye årsturnusene etter ressursfordelingen.',
    tasks: [
      monthRow(1, 'Heng opp informasjon om sommerpuljer (når delestrek er avklart)', manager()),
      monthRow(1, 'Utarbeide årets plan for internundervisning i avdeling. Benytt gjerne NAKU sine temasider og oppdeling', manager('Teams')),
      monthRow(1, 'VFR: Fyller inn eventuell overført ferie og avspasering for ansatte', manager('VFR')),
      monthRow(1, 'Opprette skjema på Teams: Behov sommervikarer', manager('Teams')),
      monthRow(1, 'Ressursfordelingskartlegging', manager()),
      monthRow(1, 'Lyse ut etter sommervikarer', manager()),
      monthRow(2, 'Kontakt tidligere sommervikarer og meld inn behov for vikarer i skjema på Teams', manager('Teams')),
      monthRow(2, 'Påske-/mai-/pinseturnus planlegges', manager()),
      monthRow(
        2,
        'Ansvar for at det blir utført egenvurdering av legemiddelhåndteringsrutinene (Se Compilo: Egenvurdering av legemiddelhåndteringsrutiner)',
        manager('Compilo', { legalBasis: 'Legemiddelhåndteringsforskriften § 4' }),
      ),
      // person scope (issue 14 §1): every employee registers their own wishes.
      rowWithDeadline(2, 'Ansatte registrerer ferieønsker i VFR, frist 1. mars.', { month: 3, day: 1 }, { responsibleRole: 'staff', scope: 'person', storedIn: 'VFR' }),
      monthRow(2, 'Kalle inn til medarbeidersamtaler i Kompetanseportalen', manager('Kompetanseportalen')),
      monthRow(2, 'Kalle inn til seniorsamtaler', manager()),
      monthRow(2, 'Påse at årskontroll hos fastlege blir bestilt', manager()),
      monthRow(2, 'Kartlegging av arbeidsmiljøet og arbeidsmiljøarbeidet (Skjema på Compilo)', manager('Compilo')),
      monthRow(2, 'Planlegg HMS-dag', manager()),
      rowWithDeadline(3, 'Hovedferien plasseres, frist 1. april', { month: 4, day: 1 }, manager('VFR')),
      monthRow(3, 'Melde inn behov for sommervikarer i skjema på Teams', manager('Teams')),
      monthRow(3, 'ROS-analyse vold og trusler', manager()),
      monthRow(3, 'Ansvar for at det utføres halvårsevaluering av tjenestetilbudet til brukerne – Fagrapport.', manager()),
      monthRow(4, 'Start/fullfør arbeidet med utarbeidelse av sommerturnus', manager()),
      monthRow(4, 'Send inn arbeidsavtaler og dokumentasjon på sommervikarer til personalseksjonen', manager()),
      monthRow(4, 'Gjennomfør HMS-dag', manager()),
      monthRow(4, 'Planlegg sommeravslutning/sosialt arrangement', manager()),
      // The seed's words (the resource allocation it describes), the month the wheel's suggestion.
      monthRow(5, 'Avdelingsledere lager nye årsturnuser / turnuser / kalenderplan etter nytt utmål årsverk', manager(undefined, { description: `Etter ressursfordelingsteamets årlige gjennomgang. ${SUGGESTED_DATE}` })),
      monthRow(5, 'Evaluer påske-/mai-/pinseturnus', example()),
      monthRow(5, 'Opplæringsplan for sommervikarer er klar', example({ storedIn: 'Kompetanseportalen' })),
      monthRow(6, 'Gjennomfør sommeravslutning/sosialt arrangement', example()),
      monthRow(6, 'Sommervikarer har fått opplæring og tilgang til fagsystemer', example()),
      monthRow(8, 'Gjennomgå rutiner og avvik med personalgruppen etter ferien', example({ storedIn: 'Compilo' })),
      monthRow(9, 'Ansvar for at det utføres halvårsevaluering av tjenestetilbudet til brukerne – Fagrapport.', example()),
      monthRow(9, 'Juleturnus planlegges', example()),
      monthRow(11, 'Juleturnus publiseres', example()),
      monthRow(12, 'Årsgjennomgang av avvik og uønskede hendelser (Compilo)', example({ storedIn: 'Compilo' })),
      monthRow(12, 'Evaluer årshjulet og planlegg neste år', example()),
    ],
  },
  {
    key: 'primaerkontakter',
    name: 'Årshjul for primærkontakter',
    kind: 'primary_contact',
    description: 'Hva hver primærkontakt skal gjøre for hver tjenestemottaker gjennom året. Radene er eksempler.',
    tasks: [
      monthRow(2, 'Påse at årskontroll hos fastlege er bestilt', forEachRecipient({ storedIn: 'Helseplattformen' })),
      {
        title: 'Halvårsevaluering av tjenestetilbudet – Fagrapport',
        rrule: 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1',
        startsOn: '2026-03-01',
        deadlineShift: 'previous',
        opensDaysBefore: 27,
        storedIn: 'Helseplattformen',
        commentRequired: true,
        ...forEachRecipient(),
      },
      {
        title: 'Kontakt med pårørende/verge om tjenestetilbudet',
        rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1',
        startsOn: '2026-03-01',
        deadlineShift: 'previous',
        opensDaysBefore: 27,
        storedIn: 'Helseplattformen',
        ...forEachRecipient(),
      },
      monthRow(5, 'Brukerundersøkelse «Min stemme teller»', forEachRecipient()),
      // Seed 003: "Opprinnelige undersøkelse gis pårørende og verger"; "Pårørende får en egen brukerundersøkelse".
      monthRow(5, 'Pårørendeundersøkelse: pårørende og verger får en egen brukerundersøkelse', forEachRecipient()),
      monthRow(10, 'Gjennomgå og oppdater tjenesteplanen', forEachRecipient({ storedIn: 'Helseplattformen' })),
      // Seed 002: "det utformes en plan for oppfølgingen – mål, delmål og tiltak"; "mål og tiltak i planen evalueres".
      monthRow(11, 'Mål og tiltak i individuell plan evalueres sammen med tjenestemottaker', forEachRecipient({ storedIn: 'Helseplattformen', commentRequired: true })),
    ],
  },
  {
    key: 'fag-og-kompetanse',
    name: 'Årshjul for fag og kompetanseheving',
    kind: 'competence',
    description:
      'Internundervisning, kompetanseplan, medarbeidersamtaler og obligatoriske kurs. Radene er eksempler; ' +
      'årets plan for internundervisning står i årshjulet for ledere.',
    tasks: [
      {
        title: 'Internundervisning i avdelingen',
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1',
        deadlineShift: 'previous',
        opensDaysBefore: 20,
        storedIn: 'Kompetanseportalen',
        description: 'Etter årets plan for internundervisning. Frist siste arbeidsdag i måneden.',
        ...example(),
      },
      monthRow(3, 'Gjennomføre medarbeidersamtaler', example({ storedIn: 'Kompetanseportalen' })),
      // person scope (issue 14 §1): medication competence is documented per person.
      monthRow(4, 'Legemiddelhåndtering: opplæring og kunnskapsprøve', example({
        responsibleRole: 'staff',
        scope: 'person',
        storedIn: 'Kompetanseportalen',
        legalBasis: 'Legemiddelhåndteringsforskriften § 4',
      })),
      monthRow(9, 'Oppdatere kompetanseplan for avdelingen', example({ storedIn: 'Kompetanseportalen' })),
      // A duty per person: each employee takes the course and is recorded on their own.
      monthRow(10, 'Obligatorisk brannvernopplæring', example({ responsibleRole: 'staff', scope: 'person', storedIn: 'Kompetanseportalen' })),
      // A duty per person: each employee takes the course and is recorded on their own.
      monthRow(11, 'Opplæring i regelverket om tvang og makt (helse- og omsorgstjenesteloven kap. 9)', example({
        responsibleRole: 'staff',
        scope: 'person',
        storedIn: 'Kompetanseportalen',
        legalBasis: 'Helse- og omsorgstjenesteloven kap. 9',
      })),
    ],
  },
  {
    // Seed 004: "Kommunen skal sende en samlet søknad"; "Det skal rapporteres på tilskudd før du søker på nytt".
    key: 'kompetanse-og-innovasjonstilskudd',
    name: 'Kompetanse- og innovasjonstilskudd',
    kind: 'custom',
    description:
      'Statsforvalterens tilskudd. Kommunen sender én samlet søknad (frist 1. mars) etter å ha rapportert på fjorårets tilskudd ' +
      '(frist 1. februar), og søker om endring i oktober. Enheten gir sine innspill før kommunens frister.',
    tasks: [
      {
        title: 'Innspill til kommunens rapportering på fjorårets kompetanse- og innovasjonstilskudd (rapporteringsfrist 1. februar)',
        rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15',
        description: 'Fullført utdanning, under utdanning, BPA-opplæring og innovasjonsprosjekter. Intern frist: ' + SUGGESTED_DATE,
        ...manager(),
        deadlineShift: 'previous',
        opensDaysBefore: 21,
      },
      {
        title: 'Innspill til kommunens samlede søknad om kompetanse- og innovasjonstilskudd (søknadsfrist 1. mars)',
        rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=15',
        description: 'Enhetens behov og prioriteringer, forankret hos leder med budsjettansvar. Intern frist: ' + SUGGESTED_DATE,
        ...manager(),
        deadlineShift: 'previous',
        opensDaysBefore: 28,
      },
      monthRow(9, 'Melde behov for endring i bruken av tilskuddet (kommunen søker om endring i oktober)', manager(undefined, { description: 'Intern frist: ' + SUGGESTED_DATE })),
    ],
  },
  {
    key: 'ressursfordeling',
    name: 'Ressursfordeling',
    kind: 'custom',
    description:
      'Ressursfordelingsteamets årlige gjennomgang, som starter i uke 47 hvert år og legger grunnlaget for nytt årsverk til driftsenhetene; ' +
      'avdelingslederne lager deretter nye årsturnuser (årshjulet for ledere, mai).',
    tasks: [
      {
        title: 'Ressursfordelingskartlegging starter (uke 47)',
        rrule: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO',
        deadlineShift: 'previous',
        opensDaysBefore: 14,
        responsibleRole: 'resource_team',
        description: 'Gjennomgangen legger grunnlaget for nytt årsverk til driftsenhetene.',
      },
      {
        title: 'Ressursfordelingsteamets årlige gjennomgang legger grunnlaget for nytt årsverk til driftsenhetene',
        rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1',
        deadlineShift: 'previous',
        opensDaysBefore: 27,
        responsibleRole: 'resource_team',
        description: SUGGESTED_DATE,
      },
    ],
  },
  {
    // Seed 001: "Fortell vedkommende om hvilke utfordringer du jobber med, og hvilke ressurser som trengs …
    // Gjør det samme når kommunen starter arbeidet med kommunal planstrategi / planprogrammet … / årsbudsjettet".
    // The council decides; the unit head's part is the input at each stage.
    key: 'kommunal-plansyklus',
    name: 'Kommunal plansyklus',
    kind: 'custom',
    description:
      'Enhetslederens innspill i kommunens fireårige plansyklus etter hvert kommunevalg (2023, 2027, …) og til årsbudsjettet: ' +
      'det som skal forankres og få ressurser, må inn i planprosessene.',
    tasks: [
      {
        title: 'Innspill til kunnskapsgrunnlaget for planleggingen (oversikt over helsetilstanden): hvilke utfordringer enheten jobber med, og hvilke ressurser som trengs',
        rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=9;BYMONTHDAY=1',
        startsOn: '2027-01-01',
        ...manager(undefined, { description: SUGGESTED_DATE }),
        deadlineShift: 'previous',
        opensDaysBefore: 60,
      },
      {
        title: 'Innspill når kommunen starter arbeidet med kommunal planstrategi',
        rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=3;BYMONTHDAY=1',
        startsOn: '2028-01-01',
        ...manager(undefined, { description: SUGGESTED_DATE, legalBasis: 'Plan- og bygningsloven § 10-1' }),
        deadlineShift: 'previous',
        opensDaysBefore: 60,
      },
      {
        title: 'Innspill når kommunen starter arbeidet med planprogrammet til kommuneplanens samfunnsdel',
        rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1',
        startsOn: '2028-01-01',
        ...manager(undefined, { description: SUGGESTED_DATE }),
        deadlineShift: 'previous',
        opensDaysBefore: 60,
      },
      {
        title: 'Innspill når kommunen starter arbeidet med planprogram til relevante kommunedelplaner (sektorplaner, som helse- og omsorgsplan)',
        rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=3;BYMONTHDAY=1',
        startsOn: '2029-01-01',
        ...manager(undefined, { description: SUGGESTED_DATE }),
        deadlineShift: 'previous',
        opensDaysBefore: 60,
      },
      {
        title: 'Innspill når kommunen starter arbeidet med årsbudsjettet (økonomiplan og budsjett for neste år)',
        rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=15',
        ...manager(undefined, { description: SUGGESTED_DATE, legalBasis: 'Kommuneloven § 14-2' }),
        deadlineShift: 'previous',
        opensDaysBefore: 45,
      },
    ],
  },
];
