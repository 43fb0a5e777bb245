import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyObject } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/app-config';
import { Municipality } from '../organisation/entities/municipality.entity';
import { Person } from '../organisation/entities/person.entity';
import { AccessService } from './access.service';
import { Sessions } from './sessions';
import { EntraSignIn } from './entra-sign-in';
import { TeamsSignIn } from './teams-sign-in';
import { AuthGuard } from './auth.guard';
import { AuthService, DEV_TOKENS } from './auth.service';
import { loadOrCreateDevSigningKey } from './dev-signing-key';
import { DevTokens } from './dev-tokens';
import { PersonRateLimitGuard } from './rate-limit.module';

@Module({
  imports: [TypeOrmModule.forFeature([Person, Municipality])],
  providers: [
    {
      provide: DEV_TOKENS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        config.authMode === 'development'
          ? new DevTokens((await loadOrCreateDevSigningKey(config.dataDir)) as KeyObject, config.devTokenTtl)
          : null,
    },
    AuthService,
    AccessService,
    Sessions,
    EntraSignIn,
    TeamsSignIn,
    { provide: APP_GUARD, useClass: AuthGuard },
    // After the AuthGuard, in this order: it counts the person the AuthGuard verified.
    { provide: APP_GUARD, useClass: PersonRateLimitGuard },
  ],
  exports: [DEV_TOKENS, AuthService, AccessService, Sessions, EntraSignIn, TeamsSignIn],
})
export class AuthModule {}
