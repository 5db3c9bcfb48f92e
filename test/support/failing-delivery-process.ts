// A delivery process that dies at once with an error naming the SMTP URL it was given (password and
// all): the supervisor must log the death without the password and start it again.
import type { DeliveryEntry } from '../../src/server/notify/delivery-process.ts';

export const run: DeliveryEntry = ({ config }) => {
  throw new Error(`could not reach ${config.smtpUrl}`);
};
