import { Module } from '@nestjs/common';
import { RoomNotifier } from './room-notifier.service';
import { SignalRunner } from './signal-runner.service';

@Module({ providers: [SignalRunner, RoomNotifier], exports: [SignalRunner, RoomNotifier] })
export class SignallingModule {}
