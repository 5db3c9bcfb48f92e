// Email over SMTP with a pool of connections (nodemailer). Done only when the server accepted the
// message (its 250 reply); a permanent refusal (5xx) is not retried.
import nodemailer from 'nodemailer';
import { renderConfirmationEmail, renderNotificationEmail, type ConfirmationPayload, type EmailMessage } from '../render-email.ts';
import type { DeliveryJob } from '../outbox.ts';
import { DeliveryFailure, type Sender } from '../worker.ts';

export interface EmailSenderOptions {
  smtpUrl: string;
  from: string;
  /** Open connections at most (the worker's concurrency). */
  maxConnections: number;
}

export function createEmailSender(options: EmailSenderOptions): Sender {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.maxConnections,
    maxMessages: Infinity,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(job: DeliveryJob) {
      const { to, message } = compose(job);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          inReplyTo: message.inReplyTo,
          references: message.references,
          headers: message.headers,
        });
        if (info.rejected.length > 0) throw new DeliveryFailure(`Refused by the mail server: ${info.response}`);
        return info.response;
      } catch (error) {
        if (error instanceof DeliveryFailure) throw error;
        const code = (error as { responseCode?: number }).responseCode;
        throw new DeliveryFailure((error as Error).message, { permanent: typeof code === 'number' && code >= 500 && code < 600 });
      }
    },
    close: () => transport.close(),
  };
}

function compose(job: DeliveryJob): { to: string; message: EmailMessage } {
  if (job.kind === 'confirmation') {
    const payload = job.payload as ConfirmationPayload | null;
    if (!payload) throw new DeliveryFailure('The confirmation mail has no content.', { permanent: true });
    return { to: payload.to, message: renderConfirmationEmail(payload, job.key) };
  }
  if (!job.content || !job.subscriber?.email) throw new DeliveryFailure('The subscriber or the notification is gone.', { permanent: true });
  return { to: job.subscriber.email, message: renderNotificationEmail(job.content, job.key, job.subscriber) };
}
