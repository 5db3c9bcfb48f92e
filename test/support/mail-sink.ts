// A real SMTP server in the test process (smtp-server) that parses what arrives (mailparser).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  mails: ParsedMail[];
  /** Raw RCPT TO addresses, one per accepted message. */
  recipients: string[];
  /** The Message-ID header of every accepted message, in order (duplicates kept). */
  messageIds: string[];
  /** Answer the next `n` messages with a temporary failure (451). */
  failNext: (n: number) => void;
  close: () => Promise<void>;
}

export async function startMailSink(options: { parse?: boolean } = {}): Promise<MailSink> {
  const mails: ParsedMail[] = [];
  const recipients: string[] = [];
  const messageIds: string[] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      if (failures > 0) {
        failures--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
        return;
      }
      if (options.parse === false) {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 8192) head += chunk.toString('latin1');
        });
        stream.on('end', () => {
          recipients.push(...session.envelope.rcptTo.map((r) => r.address));
          messageIds.push(/^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '');
          callback();
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          messageIds.push(mail.messageId ?? '');
          recipients.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch(callback);
    },
  });
  // A client that dies mid-conversation (the crash test kills one) resets its connection: expected here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    recipients,
    messageIds,
    failNext: (n) => {
      failures = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
