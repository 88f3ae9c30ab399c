/**
 * How a message reaches a person. Email is the only channel today; a WhatsApp
 * channel implements the same interface and is added to NOTIFICATION_CHANNELS.
 */
export interface Recipient {
  userId: string;
  name: string;
  email: string;
  /** E.164, when the participant has an IKM profile. */
  whatsapp?: string;
}

export interface NotificationMessage {
  subject: string;
  text: string;
  html?: string;
}

export interface NotificationChannel {
  readonly name: string;
  /** Whether this channel has an address for the recipient. */
  canReach(recipient: Recipient): boolean;
  deliver(recipient: Recipient, message: NotificationMessage): Promise<void>;
}

export const NOTIFICATION_CHANNELS = Symbol('NOTIFICATION_CHANNELS');
