import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { UnitDto } from '../dtos/unit.dto';
import { Unit } from '../entities/unit.entity';

@Injectable()
export class UnitsService {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  /** The municipality's active units, ordered by name (parents before children is up to the client). */
  async list(municipalityId: string): Promise<UnitDto[]> {
    const units = await this.units.find({ where: { municipalityId, archivedAt: IsNull() }, order: { name: 'ASC' } });
    return units.map(UnitDto.from);
  }
}
