import { describe, expect, it } from 'vitest';
import { BadQuery, Conflict, Forbidden, Invalid, NotFound, refusalOf } from '../../../src/server/errors.ts';
import { respondJsonOrError } from '../../../src/server/http/respond.ts';
import { errorResponseFor } from '../../../src/server/write-api/errors.ts';

const family = [
  [new NotFound('No such thing.'), 404, 'not_found'],
  [new Invalid({ title: 'Give it a title.' }), 422, 'invalid'],
  [new BadQuery({ month: 'Not a month.' }), 400, 'bad_request'],
  [new Conflict('Already resolved.'), 409, 'conflict'],
  [new Forbidden('Viewers cannot.'), 403, 'forbidden'],
] as const;

describe('the one status table for typed errors', () => {
  it.each(family)('%s carries its status and code, and every JSON answer uses them', async (error, status, code) => {
    expect(refusalOf(error)).toMatchObject({ status, code });
    const write = errorResponseFor(error);
    expect(write.status).toBe(status);
    expect((await write.json()).error).toMatchObject({ status, code, fields: error.fields });
    const read = respondJsonOrError(() => {
      throw error;
    });
    expect(read.status).toBe(status);
    expect((await read.json()).error).toMatchObject({ status, message: error.message });
  });

  it('rethrows anything else: a bug is a 500, not a refusal', () => {
    const bug = new TypeError('oops');
    expect(() => refusalOf(bug)).toThrow(bug);
    expect(() => errorResponseFor(bug)).toThrow(bug);
    expect(() =>
      respondJsonOrError(() => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
