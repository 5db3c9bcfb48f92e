// What a refused async command threw: its Invalid (with the field messages); anything else fails.
import { Invalid } from '../../src/server/errors.ts';

export async function refusalOf(promise: Promise<unknown>): Promise<Invalid> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Invalid) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
