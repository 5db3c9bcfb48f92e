// A delivery thread that dies at once with an error naming the SMTP URL it was given (password and
// all): the supervisor must log the death without the password and start it again.
import { workerData } from 'node:worker_threads';
import type { DeliveryThreadData } from '../../src/server/notify/delivery-thread.ts';

const { config } = workerData as DeliveryThreadData;
throw new Error(`could not reach ${config.smtpUrl}`);
