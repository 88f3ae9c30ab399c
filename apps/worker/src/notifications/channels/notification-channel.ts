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
  /**
   * `deliveryId` is the same on every attempt of one message to one person (email: its Message-ID).
   * `commit` is called right before the point of no return (email: the end of DATA) and resolves
   * once the attempt is recorded as committed; a channel must not pass that point if it rejects.
   */
  deliver(
    recipient: Recipient,
    message: NotificationMessage,
    deliveryId: string,
    commit?: () => Promise<void>,
  ): Promise<void>;
}

export const NOTIFICATION_CHANNELS = Symbol('NOTIFICATION_CHANNELS');
