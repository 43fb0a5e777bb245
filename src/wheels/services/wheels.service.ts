import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { NotFoundProblem, ProblemException } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { CreateWheelDto, UpdateWheelDto, WheelDto } from '../dtos/wheel.dto';
import { TaskDefinition } from '../entities/task-definition.entity';
import { Wheel } from '../entities/wheel.entity';

export class NotYourWheelProblem extends ProblemException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'not-your-wheel', 'Ikke din kommunes årshjul', 'This wheel belongs to another municipality: copy it to change it.');
  }
}

/**
 * Wheels (årshjul). A municipality reads and changes its own; it can read and copy the wheels other
 * municipalities have published, as Molde and Kristiansund shared theirs.
 */
@Injectable()
export class WheelsService {
  constructor(
    @InjectRepository(Wheel) private readonly wheels: Repository<Wheel>,
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
  ) {}

  async list(municipalityId: string, library: boolean): Promise<WheelDto[]> {
    const wheels = await this.wheels.find({
      where: library ? { published: true, archivedAt: IsNull() } : { municipalityId },
      order: { name: 'ASC' },
    });
    return wheels.map(WheelDto.from);
  }

  /** A wheel this municipality may read: its own, or one another has published. Otherwise "not found". */
  async readable(municipalityId: string, wheelId: string): Promise<Wheel> {
    const wheel = await this.wheels.findOneBy({ id: wheelId });
    if (!wheel || (wheel.municipalityId !== municipalityId && !(wheel.published && !wheel.archivedAt))) {
      throw new NotFoundProblem('Wheel', wheelId);
    }
    return wheel;
  }

  /** A wheel this municipality may change: its own. */
  async own(municipalityId: string, wheelId: string): Promise<Wheel> {
    const wheel = await this.readable(municipalityId, wheelId);
    if (wheel.municipalityId !== municipalityId) throw new NotYourWheelProblem();
    return wheel;
  }

  async get(municipalityId: string, wheelId: string): Promise<WheelDto> {
    return WheelDto.from(await this.readable(municipalityId, wheelId));
  }

  async create(municipalityId: string, dto: CreateWheelDto): Promise<WheelDto> {
    const wheel = await this.wheels.save(this.wheels.create({ municipalityId, name: dto.name, kind: dto.kind, description: dto.description ?? null }));
    return WheelDto.from(wheel);
  }

  async update(municipalityId: string, wheelId: string, dto: UpdateWheelDto): Promise<WheelDto> {
    const wheel = await this.own(municipalityId, wheelId);
    const wasArchived = wheel.archivedAt !== null;
    if (dto.name !== undefined) wheel.name = dto.name;
    if (dto.description !== undefined) wheel.description = dto.description;
    if (dto.published !== undefined) wheel.published = dto.published;
    if (dto.archived !== undefined) wheel.archivedAt = dto.archived ? (wheel.archivedAt ?? new Date()) : null;
    await this.wheels.save(wheel);
    if (wasArchived !== (wheel.archivedAt !== null)) await this.materialiser.resyncWheel(municipalityId, wheel.id);
    return WheelDto.from(wheel);
  }

  /** Copies a wheel and its active tasks into this municipality, remembering where it came from. */
  async copy(municipalityId: string, wheelId: string): Promise<WheelDto> {
    const source = await this.readable(municipalityId, wheelId);
    return this.dataSource.transaction(async (tx) => {
      const copy = await tx.save(
        tx.create(Wheel, { municipalityId, name: source.name, kind: source.kind, description: source.description, copiedFromWheelId: source.id }),
      );
      const tasks = await tx.findBy(TaskDefinition, { wheelId: source.id, archivedAt: IsNull() });
      for (const task of tasks) {
        const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = task;
        await tx.save(tx.create(TaskDefinition, { ...rest, municipalityId, wheelId: copy.id }));
      }
      return WheelDto.from(copy);
    });
  }
}
