import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../../common/clock';
import { LocalDate, localDateAt } from '../../schedule/local-date';
import { Municipality } from '../entities/municipality.entity';

@Injectable()
export class MunicipalitiesService {
  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    private readonly clock: Clock,
  ) {}

  async timeZone(municipalityId: string): Promise<string> {
    const municipality = await this.municipalities.findOneByOrFail({ id: municipalityId });
    return municipality.timeZone;
  }

  /** Today's date where the municipality is: what decides whether a deadline has passed. */
  async today(municipalityId: string): Promise<LocalDate> {
    return localDateAt(this.clock.now(), await this.timeZone(municipalityId));
  }
}
