// The receiving mail server of `npm run bench:fanout`, in a process of its own (forked, IPC), so the
// load generator's event loop in the bench process never waits behind it. It accepts every message,
// parses none (parsing would be the bench's CPU, not Candor's), and checks what a receiver can
// check cheaply: the Message-ID in each header, so duplicates and gaps are counted.
// Messages: → { listening: port }; ← { waitFor: n } → { reached: n, at: Date.now() };
// ← 'report' → { accepted, distinctMessageIds, distinctRecipients, missingMessageIds }.
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

const send = (message: unknown) => process.send!(message);
let accepted = 0;
let missingMessageIds = 0;
const messageIds = new Set<string>();
const recipients = new Set<string>();
let waitingFor = Infinity;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
    });
    stream.on('end', () => {
      accepted++;
      const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
      if (id) messageIds.add(id);
      else missingMessageIds++;
      for (const r of session.envelope.rcptTo) recipients.add(r.address);
      if (accepted >= waitingFor) {
        send({ reached: accepted, at: Date.now() });
        waitingFor = Infinity;
      }
      callback();
    });
  },
});
smtp.on('error', () => undefined);
smtp.listen(0, '127.0.0.1', () => send({ listening: (smtp.server.address() as net.AddressInfo).port }));

process.on('message', (message: { waitFor: number } | 'report' | 'close') => {
  if (message === 'report') send({ accepted, distinctMessageIds: messageIds.size, distinctRecipients: recipients.size, missingMessageIds });
  else if (message === 'close') smtp.close(() => process.exit(0));
  else if (accepted >= message.waitFor) send({ reached: accepted, at: Date.now() });
  else waitingFor = message.waitFor;
});
