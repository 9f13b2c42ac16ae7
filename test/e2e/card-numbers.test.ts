import assert from 'node:assert/strict';
import { findCardNumbers } from './card-numbers.js';

// The e2e scan is only worth something if this finds real leaks: proved here, first.
describe('findCardNumbers', () => {
  it('finds Luhn-valid card numbers, grouped or not, in logs and dumps', () => {
    const text = [
      'card[number]=4242424242424242&card[cvc]=123',
      '{"pan":"4000 0025 0000 3155"}',
      'amex 3782-822463-10005 here',
    ].join('\n');
    assert.deepEqual(findCardNumbers(text), ['4242424242424242', '4000002500003155', '378282246310005']);
  });

  it('ignores timestamps, ids, hashes and Luhn-invalid runs', () => {
    const text = [
      '{"time":1763841234567,"msg":"relay listening"}',
      'pi_3Nx4242424242424242abc and 0e7a5f1c-0000-4000-8000-00000000d002',
      'sha384-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      '4242424242424241',
    ].join('\n');
    assert.deepEqual(findCardNumbers(text), []);
  });
});
