import { currencyExponent, isCurrencyCode, MAX_MINOR_AMOUNT } from '@onepagepay/protocol';
import { RelayError } from '../errors.js';
import { isProviderName, listProviderNames } from '../payments/providers/index.js';

/** What a form charges and how, as the CLI and the dashboard both give it. */
export interface FormSettings {
  currency: string;
  /** Fixed price in minor units; or null and give customAmount. */
  amount: number | null;
  customAmount: { min: number; max: number } | null;
  providers: string[];
}

/**
 * Checks one form's price settings and returns them normalized (currency upper case). The database
 * checks the same rules (forms_price_check), but this says what is wrong in the merchant's words.
 */
export function checkFormSettings(settings: FormSettings): FormSettings {
  const currency = settings.currency.toUpperCase();
  if (!isCurrencyCode(currency))
    throw new RelayError('invalid_request', 'currency must be an ISO 4217 code such as USD.');
  const providers = [...new Set(settings.providers)];
  if (providers.length === 0 || !providers.every(isProviderName)) {
    throw new RelayError('invalid_request', `providers must be one or more of: ${listProviderNames()}.`);
  }
  const { amount, customAmount: custom } = settings;
  if ((amount === null) === (custom === null)) {
    throw new RelayError('invalid_request', 'Give either a fixed amount or a custom amount range, not both.');
  }
  for (const value of [amount, custom?.min, custom?.max]) {
    if (
      value !== null &&
      value !== undefined &&
      (!Number.isSafeInteger(value) || value <= 0 || value > MAX_MINOR_AMOUNT)
    ) {
      throw new RelayError(
        'invalid_request',
        `Amounts are whole numbers in the currency's minor unit (${currencyExponent(currency)} decimals for ${currency}), from 1 to ${MAX_MINOR_AMOUNT}.`,
      );
    }
  }
  if (custom && custom.max < custom.min)
    throw new RelayError('invalid_request', 'The custom amount max is below its min.');
  return { currency, amount, customAmount: custom, providers };
}
