import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { PageQuery, Paginated } from '../../common/pagination';
import { CreatePersonDto, PersonDto, PersonPageDto, UpdatePersonDto } from '../dtos/person.dto';
import { PeopleService } from '../services/people.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Allow.signedIn()
  @Paginated()
  @ApiOperation({ summary: "The municipality's people, by name, a page at a time" })
  @ApiOkResponse({ type: PersonPageDto })
  list(@CurrentPerson() person: AuthenticatedPerson, @Query() query: PageQuery): Promise<PersonPageDto> {
    return this.people.page(person.municipalityId, query);
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
