import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { Municipality } from '../organisation/entities/municipality.entity';
import { Person } from '../organisation/entities/person.entity';
import { Recipient, RecipientPrimaryContact } from '../organisation/entities/recipient.entity';
import { RoleAssignment } from '../organisation/entities/role-assignment.entity';
import { Unit } from '../organisation/entities/unit.entity';
import { Organisation1764057600000 } from './migrations/1764057600000-Organisation';
import { WheelsAndOccurrences1764144000000 } from './migrations/1764144000000-WheelsAndOccurrences';
import { SignOffRecords1764230400000 } from './migrations/1764230400000-SignOffRecords';
import { Notifications1764316800000 } from './migrations/1764316800000-Notifications';
import { AccessLog1764403200000 } from './migrations/1764403200000-AccessLog';
import { AppRole1764489600000 } from './migrations/1764489600000-AppRole';
import { TenantRowSecurity1764576000000 } from './migrations/1764576000000-TenantRowSecurity';
import { ChainHeadFunction1764662400000 } from './migrations/1764662400000-ChainHeadFunction';
import { OccurrenceStanding1764748800000 } from './migrations/1764748800000-OccurrenceStanding';
import { TenantPolicyOnce1764835200000 } from './migrations/1764835200000-TenantPolicyOnce';
import { ServiceLoginRole1764921600000 } from './migrations/1764921600000-ServiceLoginRole';
import { OccurrenceIntegrity1765008000000 } from './migrations/1765008000000-OccurrenceIntegrity';
import { WebSessions1765267200000 } from './migrations/1765267200000-WebSessions';
import { UnitTreeGuards1765440000000 } from './migrations/1765440000000-UnitTreeGuards';
import { UnitWheels1765526400000 } from './migrations/1765526400000-UnitWheels';
import { WheelOwnership1765699200000 } from './migrations/1765699200000-WheelOwnership';
import { PersonScope1765872000000 } from './migrations/1765872000000-PersonScope';
import { RecipientStay1765958400000 } from './migrations/1765958400000-RecipientStay';
import { RepeatAfterCompletion1766044800000 } from './migrations/1766044800000-RepeatAfterCompletion';
import { SeedWheels1766131200000 } from './migrations/1766131200000-SeedWheels';
import { ChainHeads1766217600000 } from './migrations/1766217600000-ChainHeads';
import { CalendarFeeds1766304000000 } from './migrations/1766304000000-CalendarFeeds';
import { VerificationCheckpoints1766649600000 } from './migrations/1766649600000-VerificationCheckpoints';
import { Pagination1766736000000 } from './migrations/1766736000000-Pagination';
import { OrganisationImport1766908800000 } from './migrations/1766908800000-OrganisationImport';
import { SharedRateLimits1766822400000 } from './migrations/1766822400000-SharedRateLimits';
import { TransactionPooler1766995200000 } from './migrations/1766995200000-TransactionPooler';
import { SignOffFunction1767081600000 } from './migrations/1767081600000-SignOffFunction';
import { WheelMonthCounts1767168000000 } from './migrations/1767168000000-WheelMonthCounts';
import { SubtreeListsFromIndexes1767211200000 } from './migrations/1767211200000-SubtreeListsFromIndexes';
import { SignOffIndexes1767340800000 } from './migrations/1767340800000-SignOffIndexes';
import { SignOffGroups1767427200000 } from './migrations/1767427200000-SignOffGroups';
import { Occurrence } from '../occurrences/entities/occurrence.entity';
import { TaskDefinition } from '../wheels/entities/task-definition.entity';
import { Wheel } from '../wheels/entities/wheel.entity';
import { WheelAssignment } from '../wheels/entities/wheel-assignment.entity';

// A PostgreSQL `date` is a local calendar date (a deadline in the municipality's zone). node-postgres
// would turn it into a JS Date at midnight in the *server's* zone, shifting it a day west of UTC.
// Keep it as the 'YYYY-MM-DD' string it is.
const DATE_OID = 1082;
types.setTypeParser(DATE_OID, (value) => value);

export const entities = [
  Municipality,
  Unit,
  Person,
  RoleAssignment,
  Recipient,
  RecipientPrimaryContact,
  Wheel,
  TaskDefinition,
  WheelAssignment,
  Occurrence,
];

/** Listed in order. New migrations are appended here (see README, "Migrations"). */
export const migrations = [
  Organisation1764057600000,
  WheelsAndOccurrences1764144000000,
  SignOffRecords1764230400000,
  Notifications1764316800000,
  AccessLog1764403200000,
  AppRole1764489600000,
  TenantRowSecurity1764576000000,
  ChainHeadFunction1764662400000,
  OccurrenceStanding1764748800000,
  TenantPolicyOnce1764835200000,
  ServiceLoginRole1764921600000,
  OccurrenceIntegrity1765008000000,
  WebSessions1765267200000,
  UnitTreeGuards1765440000000,
  UnitWheels1765526400000,
  WheelOwnership1765699200000,
  PersonScope1765872000000,
  RecipientStay1765958400000,
  RepeatAfterCompletion1766044800000,
  SeedWheels1766131200000,
  ChainHeads1766217600000,
  CalendarFeeds1766304000000,
  VerificationCheckpoints1766649600000,
  Pagination1766736000000,
  OrganisationImport1766908800000,
  SharedRateLimits1766822400000,
  TransactionPooler1766995200000,
  SignOffFunction1767081600000,
  WheelMonthCounts1767168000000,
  SubtreeListsFromIndexes1767211200000,
  SignOffIndexes1767340800000,
  SignOffGroups1767427200000,
];

/** One set of options for the service, the tests and the TypeORM CLI. Never `synchronize`. */
export function typeOrmOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Off: TypeORM would print failed queries with their parameters. Errors still reach the exception
    // filter, which logs them without the values.
    logging: false,
    // Connections stay open for five idle minutes (node-postgres closes them after 10 s by default): a new one
    // costs a SCRAM handshake, a backend whose caches start empty and statements prepared again, and under a
    // burst the pool would open several at once, stalling the requests that wait for them (bench/README.md,
    // seventh round). TCP keepalive lets a connection a firewall dropped meanwhile be noticed.
    extra: { max: 20, idleTimeoutMillis: 300_000, keepAlive: true, application_name: 'arshjul' },
  };
}
