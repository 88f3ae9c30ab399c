import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import type { SharedEnv } from '@balai/config';
import { ALL_MODELS } from './schemas';

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
            serverSelectionTimeoutMS: 5000,
            // Indexes are part of correctness here (unique seats, certificates).
            autoIndex: true,
            autoCreate: true,
          }),
        }),
        MongooseModule.forFeature(ALL_MODELS),
      ],
      exports: [MongooseModule],
    };
  }
}
