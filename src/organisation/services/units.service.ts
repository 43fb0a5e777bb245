import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ValidationProblem } from '../../common/problem';
import { CreateUnitDto } from '../dtos/create-unit.dto';
import { UnitDto } from '../dtos/unit.dto';
import { Unit } from '../entities/unit.entity';

@Injectable()
export class UnitsService {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  /** The municipality's active units, ordered by name. */
  async list(municipalityId: string): Promise<UnitDto[]> {
    const units = await this.units.find({ where: { municipalityId, archivedAt: IsNull() }, order: { name: 'ASC' } });
    return units.map(UnitDto.from);
  }

  async create(municipalityId: string, dto: CreateUnitDto): Promise<UnitDto> {
    if (dto.parentId && !(await this.units.existsBy({ id: dto.parentId, municipalityId, archivedAt: IsNull() }))) {
      throw new ValidationProblem([{ field: 'parentId', message: 'is not a unit of your municipality' }]);
    }
    const unit = await this.units.save(this.units.create({ municipalityId, name: dto.name, parentId: dto.parentId ?? null }));
    return UnitDto.from(unit);
  }
}
