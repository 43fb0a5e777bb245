import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { CreatePersonDto, PersonDto, UpdatePersonDto } from '../dtos/person.dto';
import { PeopleService } from '../services/people.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Allow.signedIn()
  @ApiOperation({ summary: "The municipality's people" })
  @ApiOkResponse({ type: [PersonDto] })
  list(@CurrentPerson() person: AuthenticatedPerson): Promise<PersonDto[]> {
    return this.people.list(person.municipalityId);
  }

  @Post()
  @Allow.admin()
  @ApiOperation({ summary: 'Add a person (administrators)' })
  @ApiCreatedResponse({ type: PersonDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(person, dto);
  }

  @Get(':id')
  @Allow.signedIn()
  @ApiOperation({ summary: 'One person' })
  @ApiOkResponse({ type: PersonDto })
  get(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDto> {
    return this.people.get(person.municipalityId, id);
  }

  @Patch(':id')
  @Allow.admin()
  @ApiOperation({ summary: 'Change or archive a person (administrators)' })
  @ApiOkResponse({ type: PersonDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePersonDto): Promise<PersonDto> {
    return this.people.update(person, id, dto);
  }
}
