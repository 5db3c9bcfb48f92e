// A real SMTP server in the test process (smtp-server) that parses what arrives (mailparser).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  mails: ParsedMail[];
  /** Raw RCPT TO addresses, one per accepted message. */
  recipients: string[];
  /** Answer the next `n` messages with a temporary failure (451). */
  failNext: (n: number) => void;
  close: () => Promise<void>;
}

export async function startMailSink(options: { parse?: boolean } = {}): Promise<MailSink> {
  const mails: ParsedMail[] = [];
  const recipients: string[] = [];
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
        stream.resume();
        stream.on('end', () => {
          recipients.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          recipients.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    recipients,
    failNext: (n) => {
      failures = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
