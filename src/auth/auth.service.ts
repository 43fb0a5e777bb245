import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/app-config';
import { Municipality } from '../organisation/entities/municipality.entity';
import { Person } from '../organisation/entities/person.entity';
import { AuthenticatedPerson } from './authenticated-person';
import { InactivePersonProblem, UnauthenticatedProblem, UnknownPersonProblem } from './auth.exceptions';
import { DevTokens } from './dev-tokens';
import { EntraIdentity, EntraTokens } from './entra-tokens';

export const DEV_TOKENS = Symbol('DEV_TOKENS');

/** Turns a bearer token into a person of Årshjul, by the token source the configuration chose. */
@Injectable()
export class AuthService {
  private readonly entra?: EntraTokens;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DEV_TOKENS) private readonly devTokens: DevTokens | null,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
  ) {
    if (config.authMode === 'entra') this.entra = new EntraTokens(config.entra.authorityHost, config.entra.audience!);
  }

  async authenticate(token: string): Promise<AuthenticatedPerson> {
    const person = this.entra ? await this.fromEntra(this.entra, token) : await this.fromDevToken(token);
    return { personId: person.id, municipalityId: person.municipalityId, email: person.email };
  }

  /**
   * Who a development token says it is, its signature verified but the person not yet looked up: the
   * AuthGuard then looks them up together with the access check, in one statement. Null for Entra ID
   * tokens, whose person takes reads of its own (the tenant's municipality, the object id).
   */
  async claimed(token: string): Promise<{ personId: string; municipalityId: string } | null> {
    if (this.entra) return null;
    const { personId, municipalityId } = await this.verifyDevToken(token);
    return { personId, municipalityId };
  }

  private verifyDevToken(token: string) {
    return this.devTokens!.verify(token).catch(() => {
      throw new UnauthenticatedProblem('The token is not valid: it is expired, forged or not an Årshjul development token.');
    });
  }

  private async fromDevToken(token: string): Promise<Person> {
    const claims = await this.verifyDevToken(token);
    const person = await this.people.findOneBy({ id: claims.personId, municipalityId: claims.municipalityId, archivedAt: IsNull() });
    if (!person) throw new InactivePersonProblem();
    return person;
  }

  private async fromEntra(entra: EntraTokens, token: string): Promise<Person> {
    const tenantId = EntraTokens.claimedTenant(token);
    const municipality = tenantId ? await this.municipalities.findOneBy({ entraTenantId: tenantId }) : null;
    if (!tenantId || !municipality) throw new UnauthenticatedProblem('The token is not from an Entra ID tenant that Årshjul serves.');
    const identity = await entra.verify(token, tenantId).catch(() => {
      throw new UnauthenticatedProblem('The Entra ID token is not valid: check its signature, audience and expiry.');
    });
    return this.personFor(municipality.id, identity);
  }

  /** The Entra tenant's municipality, if Årshjul serves it. */
  municipalityOfTenant(tenantId: string): Promise<Municipality | null> {
    return this.municipalities.findOneBy({ entraTenantId: tenantId });
  }

  /** The person an Entra identity is: by object id, or the first time by the e-mail the administrator registered. */
  async personFor(municipalityId: string, identity: EntraIdentity): Promise<Person> {
    const municipality = { id: municipalityId };
    const known = await this.people.findOneBy({ municipalityId: municipality.id, entraObjectId: identity.objectId });
    if (known) {
      if (known.archivedAt) throw new InactivePersonProblem();
      return known;
    }
    // First sign-in: match on the e-mail the administrator registered, then remember the object id.
    const byEmail = identity.username
      ? await this.people
          .createQueryBuilder('p')
          .where('p.municipality_id = :m AND lower(p.email) = lower(:e) AND p.entra_object_id IS NULL', {
            m: municipality.id,
            e: identity.username,
          })
          .getOne()
      : null;
    if (!byEmail) throw new UnknownPersonProblem();
    if (byEmail.archivedAt) throw new InactivePersonProblem();
    await this.people.update({ id: byEmail.id }, { entraObjectId: identity.objectId });
    return byEmail;
  }
}
