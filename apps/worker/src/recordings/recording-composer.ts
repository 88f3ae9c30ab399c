/**
 * Runs the compose plan with ffmpeg and reports progress (0-100). Only this
 * file starts the composing process; the processor decides what to do with
 * its result. A failure carries ffmpeg's last error lines (they become the
 * job's failed reason, shown to admins).
 */
import { Injectable } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_MANIFEST_FILE, RecordingManifest } from '@balai/queue';
import { composePlan, VariantSpec } from './compose-plan';

export interface ComposeResult {
  durationSeconds: number;
  outputs: Record<VariantSpec['name'], string>;
  stage: Array<{ file: string; from: number; to: number }>;
}

export class ComposeError extends Error {}

@Injectable()
export class RecordingComposer {
  async readManifest(dir: string): Promise<RecordingManifest> {
    return JSON.parse(await readFile(join(dir, RECORDING_MANIFEST_FILE), 'utf8')) as RecordingManifest;
  }

  /** Composes `<dir>/out-720p.mp4` and `<dir>/out-360p.mp4`. */
  async compose(
    dir: string,
    options: { ffmpegPath?: string; threads?: number; onProgress?: (percent: number) => void } = {},
  ): Promise<ComposeResult> {
    const manifest = await this.readManifest(dir);
    const sizes = new Map<string, number>();
    for (const track of manifest.tracks) {
      sizes.set(
        track.file,
        await stat(join(dir, track.file)).then(
          (s) => s.size,
          () => 0,
        ),
      );
    }
    const outputs = { '720p': join(dir, 'out-720p.mp4'), '360p': join(dir, 'out-360p.mp4') };
    // A track file with no bytes (a recorder killed before its first cluster) is left out.
    const plan = composePlan(
      manifest,
      (t) => (sizes.get(t.file) ?? 0) > 0,
      (f) => join(dir, f),
      outputs,
      options.threads,
    );
    if (plan.durationSeconds <= 0) throw new ComposeError('the recording has no duration');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(options.ffmpegPath ?? 'ffmpeg', plan.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const match = /^out_time_us=(\d+)/.exec(line);
          if (match && options.onProgress) {
            const percent = Math.min(99, Math.floor(Number(match[1]) / 1e4 / plan.durationSeconds));
            options.onProgress(percent);
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      child.once('error', (error) => reject(new ComposeError(`ffmpeg could not start: ${error.message}`)));
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else {
          const tail = stderr.trim().split('\n').slice(-3).join(' | ');
          reject(new ComposeError(`ffmpeg exited with ${code ?? signal}: ${tail || 'no error output'}`));
        }
      });
    });
    options.onProgress?.(100);
    return { durationSeconds: plan.durationSeconds, outputs, stage: plan.stage };
  }
}
