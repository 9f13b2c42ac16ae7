import type { ObjectTypeName, PropertyDefinition, PropertyGroup } from './state.js';

type Spec = [name: string, label: string, type: string, fieldType: string];

const SYSTEM: Spec[] = [
  ['hs_object_id', 'Record ID', 'number', 'number'],
  ['createdate', 'Create Date', 'datetime', 'date'],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date'],
];

/** A small, realistic subset of HubSpot's built-in properties per object type. */
const BUILT_IN: Record<ObjectTypeName, Spec[]> = {
  contacts: [
    ['email', 'Email', 'string', 'text'],
    ['firstname', 'First Name', 'string', 'text'],
    ['lastname', 'Last Name', 'string', 'text'],
    ['phone', 'Phone Number', 'string', 'phonenumber'],
    ['company', 'Company Name', 'string', 'text'],
    ['website', 'Website URL', 'string', 'text'],
    ['address', 'Street Address', 'string', 'text'],
    ['city', 'City', 'string', 'text'],
    ['zip', 'Postal Code', 'string', 'text'],
    ['country', 'Country/Region', 'string', 'text'],
    ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio'],
    ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date'],
  ],
  companies: [
    ['name', 'Company name', 'string', 'text'],
    ['domain', 'Company Domain Name', 'string', 'text'],
  ],
  deals: [
    ['dealname', 'Deal Name', 'string', 'text'],
    ['amount', 'Amount', 'number', 'number'],
    ['dealstage', 'Deal Stage', 'enumeration', 'radio'],
    ['pipeline', 'Pipeline', 'enumeration', 'select'],
    ['closedate', 'Close Date', 'datetime', 'date'],
    ['deal_currency_code', 'Currency', 'enumeration', 'select'],
    ['description', 'Deal Description', 'string', 'textarea'],
  ],
  line_items: [
    ['name', 'Name', 'string', 'text'],
    ['quantity', 'Quantity', 'number', 'number'],
    ['price', 'Unit price', 'number', 'number'],
    ['amount', 'Net price', 'number', 'number'],
    ['hs_sku', 'SKU', 'string', 'text'],
    ['hs_product_id', 'Product ID', 'number', 'number'],
    ['hs_line_item_currency_code', 'Currency', 'enumeration', 'select'],
    ['description', 'Description', 'string', 'textarea'],
  ],
  products: [
    ['name', 'Name', 'string', 'text'],
    ['price', 'Unit price', 'number', 'number'],
    ['hs_sku', 'SKU', 'string', 'text'],
    ['description', 'Description', 'string', 'textarea'],
  ],
};

/** The properties HubSpot returns when a read names none. */
export const DEFAULT_READ_PROPERTIES: Record<ObjectTypeName, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  line_items: ['amount', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'name', 'price', 'quantity'],
  products: ['createdate', 'description', 'hs_lastmodifieddate', 'hs_object_id', 'name', 'price'],
};

export const DEFAULT_GROUP: Record<ObjectTypeName, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
  line_items: 'lineiteminformation',
  products: 'productinformation',
};

const GROUP_LABEL: Record<ObjectTypeName, string> = {
  contacts: 'Contact information',
  companies: 'Company information',
  deals: 'Deal information',
  line_items: 'Line item information',
  products: 'Product information',
};

export function createDefaultProperties(type: ObjectTypeName, now: number): Map<string, PropertyDefinition> {
  const map = new Map<string, PropertyDefinition>();
  [...SYSTEM, ...BUILT_IN[type]].forEach(([name, label, propertyType, fieldType], index) => {
    map.set(name, {
      name,
      label,
      type: propertyType,
      fieldType,
      groupName: DEFAULT_GROUP[type],
      description: '',
      options: [],
      hasUniqueValue: false,
      hubspotDefined: true,
      formField: !SYSTEM.some(([system]) => system === name),
      hidden: false,
      calculated: false,
      externalOptions: false,
      displayOrder: index,
      createdAt: now,
      updatedAt: now,
      archived: false,
    });
  });
  return map;
}

export function createDefaultGroups(type: ObjectTypeName): Map<string, PropertyGroup> {
  const name = DEFAULT_GROUP[type];
  return new Map([[name, { name, label: GROUP_LABEL[type], displayOrder: 0, archived: false }]]);
}
