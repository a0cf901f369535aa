// Schema failures read as one sentence naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOT_BLANK, validationMessage, type SchemaError } from '../../src/serve/validation-message.ts';

const error = (instancePath: string, keyword: string, params: Record<string, unknown>, message?: string): SchemaError => ({ instancePath, keyword, params, message });

test('each keyword becomes a sentence about the field', () => {
  const cases: Array<[SchemaError, string]> = [
    [error('', 'required', { missingProperty: 'query' }), 'body.query is required'],
    [error('', 'additionalProperties', { additionalProperty: 'fitler' }), 'body has an unknown field "fitler"'],
    [error('/k', 'type', { type: 'integer' }), 'body.k must be an integer'],
    [error('/x', 'type', { type: 'string,null' }), 'body.x must be a string or null'],
    [error('/k', 'minimum', { comparison: '>=', limit: 1 }), 'body.k must be ≥ 1'],
    [error('/k', 'maximum', { comparison: '<=', limit: 1000 }), 'body.k must be ≤ 1000'],
    [error('/t', 'exclusiveMinimum', { limit: 0 }), 'body.t must be > 0'],
    [error('/query', 'minLength', { limit: 1 }), 'body.query must not be empty'],
    [error('/query', 'minLength', { limit: 3 }), 'body.query must be at least 3 characters'],
    [error('/query', 'maxLength', { limit: 4096 }), 'body.query must be at most 4096 characters'],
    [error('/query', 'pattern', { pattern: NOT_BLANK }), 'body.query must not be blank'],
    [error('/a~1b/c~0d', 'format', {}, 'must match format "date"'), 'body.a/b.c~d must match format "date"'],
  ];
  for (const [e, expected] of cases) assert.equal(validationMessage('body', [e]), expected);
});

test('the first error is the one reported', () => {
  assert.equal(validationMessage('params', [error('/name', 'maxLength', { limit: 128 }), error('', 'required', { missingProperty: 'x' })]), 'params.name must be at most 128 characters');
});
