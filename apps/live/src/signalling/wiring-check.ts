/**
 * Start-up check: every client event of the contract has exactly one
 * @SubscribeMessage handler across the gateways, and no handler listens to an
 * event the contract does not define. Boot fails otherwise.
 */
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CLIENT_EVENTS } from '@balai/live-contract';

const GATEWAY_METADATA = 'websockets:is_gateway';
const MESSAGE_MAPPING_METADATA = 'websockets:message_mapping';
const MESSAGE_METADATA = 'message';

@Injectable()
export class SignallingWiringCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  handledEvents(): string[] {
    const events: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype || !Reflect.getMetadata(GATEWAY_METADATA, wrapper.metatype)) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[name] as object;
        if (Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method)) {
          events.push(String(Reflect.getMetadata(MESSAGE_METADATA, method)));
        }
      }
    }
    return events;
  }

  onApplicationBootstrap(): void {
    const handled = this.handledEvents();
    const problems: string[] = [];
    for (const event of CLIENT_EVENTS) {
      const count = handled.filter((e) => e === event).length;
      if (count !== 1) problems.push(`${event}: ${count} handlers`);
    }
    for (const event of handled) {
      if (!(CLIENT_EVENTS as readonly string[]).includes(event)) problems.push(`${event}: not in the contract`);
    }
    if (problems.length) throw new Error(`socket event wiring is wrong:\n  ${problems.join('\n  ')}`);
  }
}
