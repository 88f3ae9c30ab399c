import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { ApiEnv } from '@balai/config';
import { MaterialRepository } from './material.repository';
import { MaterialStorage } from './material.store';
import { MaterialsController } from './materials.controller';
import { MaterialsService } from './materials.service';

@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [ConfigService],
      // Multer stops reading at the limit (413); the content check needs the bytes in memory.
      useFactory: (config: ConfigService<ApiEnv, true>) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.get('UPLOAD_MAX_BYTES', { infer: true }), files: 1, fields: 5 },
      }),
    }),
  ],
  controllers: [MaterialsController],
  providers: [MaterialRepository, MaterialStorage, MaterialsService],
})
export class MaterialsModule {}
