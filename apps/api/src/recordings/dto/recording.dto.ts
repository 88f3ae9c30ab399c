import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RECORDING_STATUSES, RECORDING_VARIANTS, RecordingState, RecordingVariantName } from '@balai/database';
import { INSTANT_PATTERN } from '../../common/api-docs';

export class RecordingGapDto {
  @ApiProperty({ description: "Which stream was cut: 'stage', 'audio:<peerId>', or 'all' (the live node died)" })
  stream!: string;
  @ApiProperty({ enum: ['recorder-died', 'worker-died', 'live-node-died'] }) reason!: string;
  @ApiProperty({ type: String, format: 'date-time', pattern: INSTANT_PATTERN }) from!: string;
  @ApiProperty({ type: String, format: 'date-time', pattern: INSTANT_PATTERN }) to!: string;
}

export class RecordingVariantDto {
  @ApiProperty({ enum: RECORDING_VARIANTS }) name!: RecordingVariantName;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty({
    description:
      'Path to stream it (HTTP Range supported), signed for this user for a few hours; add `download=1` for a download',
  })
  url!: string;
}

export class RecordingResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty({ enum: RECORDING_STATUSES }) status!: RecordingState;
  @ApiProperty({ type: String, format: 'date-time', pattern: INSTANT_PATTERN }) startedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', pattern: INSTANT_PATTERN }) stoppedAt?: string;
  @ApiPropertyOptional() durationSeconds?: number;
  @ApiProperty({ description: 'Composing progress, 0-100' }) progress!: number;
  @ApiPropertyOptional({ description: 'Why composing failed (the job is retried)' }) error?: string;
  @ApiProperty({ type: [RecordingGapDto] }) gaps!: RecordingGapDto[];
  @ApiProperty({ type: [RecordingVariantDto], description: 'Empty until ready' }) variants!: RecordingVariantDto[];
}

export class RecordingEntryStatusDto {
  @ApiProperty({ description: 'A live node is recording the session now' }) recording!: boolean;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    pattern: INSTANT_PATTERN,
    description: 'When the running recording started',
  })
  startedAt?: string;
  @ApiProperty({ description: "The course records every session automatically (its hosts' arrival starts it)" })
  autoRecord!: boolean;
}
