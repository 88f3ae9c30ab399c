/**
 * The ICE servers a browser is given when it joins and for each transport:
 * the static ICE_SERVERS_JSON entries, plus the TURN URIs with a credential
 * made for this user now (turn-credentials.ts). Issued again for every
 * transport, so an ICE restart or a rebuilt room never uses an expired one.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IceServer } from '@balai/live-contract';
import type { LiveAppEnv } from '../config/live-config';
import { turnRestCredential } from './turn-credentials';

/** The wall clock, injectable so tests can pin it. */
@Injectable()
export class TurnClock {
  now(): number {
    return Date.now();
  }
}

@Injectable()
export class TurnCredentialsService {
  constructor(
    private readonly config: ConfigService<LiveAppEnv, true>,
    private readonly clock: TurnClock,
  ) {}

  get enabled(): boolean {
    return (
      !!this.config.get('TURN_SECRET', { infer: true }) && this.config.get('TURN_URLS', { infer: true }).length > 0
    );
  }

  iceServersFor(userId: string): IceServer[] {
    const servers: IceServer[] = [...this.config.get('ICE_SERVERS_JSON', { infer: true })];
    const secret = this.config.get('TURN_SECRET', { infer: true });
    const urls = this.config.get('TURN_URLS', { infer: true });
    if (!secret || urls.length === 0) return servers;
    const ttl = this.config.get('TURN_CREDENTIAL_TTL_SECONDS', { infer: true });
    const { username, credential } = turnRestCredential(secret, userId, ttl, this.clock.now());
    servers.push({ urls: [...urls], username, credential });
    return servers;
  }
}
