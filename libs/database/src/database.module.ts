import { DynamicModule, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { SharedEnv } from '@balai/config';
import { EligibilityRepository } from './eligibility/eligibility.repository';
import { ALL_MODELS } from './schemas';

/** Server selection while serving: an unreachable database is a 503 within a second (AllExceptionsFilter). */
export const SERVING_SERVER_SELECTION_MS = 300;
/** Server selection for the first connection: a loaded machine may take more than 400 ms to say hello. */
const STARTUP_SERVER_SELECTION_MS = 5000;

/**
 * Start-up waits until every model's indexes exist: unique indexes carry
 * correctness here (one enrolment per person, one certificate per course and
 * participant), so no request is served before they are in place.
 */
@Injectable()
export class IndexesReady implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
    this.logger.log({ models: Object.keys(this.connection.models).length, ms: Date.now() - started }, 'indexes ready');
    // Connected: from now on fail fast. The driver reads this option at every server selection
    // (MongoClient.options is its live option set); the initial connection used the generous one.
    const client = this.connection.getClient() as unknown as {
      options: { serverSelectionTimeoutMS: number };
      topology?: { s?: { serverSelectionTimeoutMS?: number } };
    };
    client.options.serverSelectionTimeoutMS = SERVING_SERVER_SELECTION_MS;
    if (client.topology?.s) client.topology.s.serverSelectionTimeoutMS = SERVING_SERVER_SELECTION_MS;
  }
}

/**
 * The MongoDB connection (any MongoDB-protocol server: MongoDB in production,
 * FerretDB in development and CI) and every model of the platform.
 * Designed for what both support: no multi-document transactions; atomicity
 * comes from single-document conditional updates and unique indexes.
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        MongooseModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<SharedEnv, true>) => ({
            uri: config.get('MONGODB_URI', { infer: true }),
            // Fail fast while the database is unreachable: a request answers 503 with Retry-After
            // (AllExceptionsFilter) within a second instead of waiting 5-10 s for a 500. No command
            // buffering (mongoose would queue for 10 s); the driver's server selection decides, with
            // STARTUP_SERVER_SELECTION_MS until connected and SERVING_SERVER_SELECTION_MS after (IndexesReady).
            serverSelectionTimeoutMS: STARTUP_SERVER_SELECTION_MS,
            bufferCommands: false,
            // Indexes are part of correctness here (unique seats, certificates).
            autoIndex: true,
            autoCreate: true,
          }),
        }),
        MongooseModule.forFeature(ALL_MODELS),
      ],
      // Read models shared by the apps (each reads several collections, owned by none of them).
      providers: [IndexesReady, EligibilityRepository],
      exports: [MongooseModule, EligibilityRepository],
    };
  }
}
