import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { ValidationProblem } from '../../common/problem';
import { MunicipalityDto, UpdateMunicipalityDto } from '../dtos/municipality.dto';
import { Clock } from '../../common/clock';
import { isValidTimeZone, LocalDate, localDateAt } from '../../schedule/local-date';
import { Municipality } from '../entities/municipality.entity';

/** How long a replica trusts the time zone it read: it decides "today" on almost every request. */
const TIME_ZONE_CACHE_MS = 60_000;

@Injectable()
export class MunicipalitiesService {
  private readonly timeZones = new Map<string, { timeZone: string; until: number }>();

  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async get(municipalityId: string): Promise<MunicipalityDto> {
    return MunicipalityDto.from(await this.municipalities.findOneByOrFail({ id: municipalityId }));
  }

  /** The municipality's own settings; every change is in the audit log. */
  async update(actor: AuthenticatedPerson, dto: UpdateMunicipalityDto): Promise<MunicipalityDto> {
    if (dto.timeZone !== undefined && !isValidTimeZone(dto.timeZone)) {
      throw new ValidationProblem([{ field: 'timeZone', message: 'is not a known time zone (use e.g. Europe/Oslo)' }]);
    }
    return this.dataSource.transaction(async (tx) => {
      const municipality = await tx.findOneByOrFail(Municipality, { id: actor.municipalityId });
      const before = MunicipalityDto.from(municipality);
      Object.assign(municipality, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await tx.save(municipality);
      this.timeZones.delete(municipality.id); // other replicas see a new zone within TIME_ZONE_CACHE_MS
      await this.auditLog.record(actor, { action: 'updated', entity: 'municipality', entityId: municipality.id, before, after: MunicipalityDto.from(municipality) }, tx);
      return MunicipalityDto.from(municipality);
    });
  }

  async timeZone(municipalityId: string): Promise<string> {
    const cached = this.timeZones.get(municipalityId);
    if (cached && cached.until > Date.now()) return cached.timeZone;
    const { timeZone } = await this.municipalities.findOneByOrFail({ id: municipalityId });
    this.timeZones.set(municipalityId, { timeZone, until: Date.now() + TIME_ZONE_CACHE_MS });
    return timeZone;
  }

  /** Today's date where the municipality is: what decides whether a deadline has passed. */
  async today(municipalityId: string): Promise<LocalDate> {
    return localDateAt(this.clock.now(), await this.timeZone(municipalityId));
  }
}
