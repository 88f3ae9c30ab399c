import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MailModule } from '../mail/mail.module';
import { EmailChannel } from './channels/email.channel';
import { DeliveryRecords, NotificationDelivery, NotificationDeliverySchema } from './delivery-record';
import { NOTIFICATION_CHANNELS, NotificationChannel } from './channels/notification-channel';
import { NotificationProcessor } from './notification.processor';
import { NotificationRepository } from './notification.repository';
import { Notifier } from './notifier.service';

@Module({
  imports: [
    MailModule,
    MongooseModule.forFeature([{ name: NotificationDelivery.name, schema: NotificationDeliverySchema }]),
  ],
  providers: [
    EmailChannel,
    // Add a channel (WhatsApp) here; Notifier sends through every channel that can reach a person.
    {
      provide: NOTIFICATION_CHANNELS,
      inject: [EmailChannel],
      useFactory: (email: EmailChannel): NotificationChannel[] => [email],
    },
    NotificationRepository,
    DeliveryRecords,
    Notifier,
    NotificationProcessor,
  ],
})
export class NotificationsModule {}
