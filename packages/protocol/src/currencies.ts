/**
 * The ISO 4217 codes of currencies in circulation (list of 2025, with XCG and ZWG), without fund
 * codes (BOV, CHE, USN, …), precious metals, SDRs and the testing codes (XTS, XXX): nothing a payer
 * can be charged in. A fixed list rather than `Intl.supportedValuesOf('currency')`, whose contents
 * vary with the ICU build and include withdrawn currencies.
 */
const ISO_4217_CODES = `
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN
NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
`;

const CURRENCIES: ReadonlySet<string> = new Set(ISO_4217_CODES.trim().split(/\s+/));

/** True for the upper-case ISO 4217 code of a currency in circulation, such as `USD` or `JPY`. */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && CURRENCIES.has(value);
}
