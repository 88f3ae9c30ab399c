import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { z } from 'zod';
import { parseEnv } from './env';
import { assertProductionSecrets, SharedEnv } from './schemas';

/**
 * Loads `.env` (if present) and validates the whole environment once at boot
 * with the app's schema. Start-up stops with a message naming each bad variable.
 * Inject `ConfigService<XEnv, true>` and read with `get('NAME', { infer: true })`.
 */
@Module({})
export class BalaiConfigModule {
  static forApp<S extends z.ZodType<SharedEnv, z.ZodTypeDef, unknown>>(schema: S): DynamicModule {
    return {
      module: BalaiConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          envFilePath: ['.env'],
          validate: (raw: Record<string, unknown>) => {
            const parsed = parseEnv(schema, raw as NodeJS.ProcessEnv);
            assertProductionSecrets(parsed);
            return parsed as unknown as Record<string, unknown>;
          },
        }),
      ],
      exports: [ConfigModule],
    };
  }
}
