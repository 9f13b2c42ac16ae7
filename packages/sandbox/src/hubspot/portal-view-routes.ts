import type { Route, SandboxCore } from './core.js';
import { createApiError } from './http-kit.js';
import { createSandboxControls, type SimplePublicObjectLike } from './sandbox-controls.js';

// A read-only view of one portal: what a merchant would find in HubSpot's CRM after payments, for
// the `npm start` demo. Sandbox-only (HubSpot has no such endpoint); no token, like the demo itself.

const HIDDEN = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

function recordsOf(core: SandboxCore, portalId: number) {
  const controls = createSandboxControls(core);
  return {
    portalId,
    contacts: controls.contacts(portalId),
    deals: controls.deals(portalId),
    lineItems: controls.lineItems(portalId),
    associations: controls.associations(portalId),
    formSubmissions: controls.formSubmissions(portalId),
  };
}

function portalOf(core: SandboxCore, raw: string | undefined): number {
  const portalId = Number(raw);
  if (!core.portals.has(portalId)) throw createApiError(404, 'OBJECT_NOT_FOUND', `No portal ${raw}`);
  return portalId;
}

const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function objectTable(title: string, objects: SimplePublicObjectLike[]): string {
  const rows = objects.map((object) => {
    const properties = Object.entries(object.properties)
      .filter(([name, value]) => value !== null && value !== '' && !HIDDEN.has(name))
      .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
      .join('');
    return `<tr><td>${escapeHtml(object.id)}</td><td><dl>${properties}</dl></td><td>${escapeHtml(object.createdAt)}</td></tr>`;
  });
  return `<section><h2>${title} (${objects.length})</h2><table><thead><tr><th>id</th><th>properties</th><th>created</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="3">none yet</td></tr>'}</tbody></table></section>`;
}

function renderPortal(records: ReturnType<typeof recordsOf>): string {
  const submissions = records.formSubmissions.map(
    (submission) =>
      `<tr><td>${escapeHtml(submission.formGuid)}</td><td><dl>${submission.fields
        .map((field) => `<dt>${escapeHtml(field.name)}</dt><dd>${escapeHtml(field.value)}</dd>`)
        .join('')}</dl></td><td>${escapeHtml(new Date(submission.submittedAt).toISOString())}</td></tr>`,
  );
  const associations = records.associations.map(
    (edge) =>
      `<li>${escapeHtml(edge.fromType)} ${escapeHtml(edge.fromId)} → ${escapeHtml(edge.toType)} ${escapeHtml(edge.toId)} (type ${escapeHtml(edge.typeId)})</li>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>HubSpot sandbox portal ${records.portalId}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}dl{display:grid;grid-template-columns:max-content auto;gap:0 1rem;margin:0}dt{color:#555}dd{margin:0}</style>
</head><body>
<h1>HubSpot sandbox: portal ${records.portalId}</h1>
<p>What the relay pushed into this (local, fake) HubSpot portal, and what the form embeds submitted. Refreshes every 5 seconds. <a href="/sandbox/portals/${records.portalId}/records">JSON</a></p>
${objectTable('Contacts', records.contacts)}
${objectTable('Deals', records.deals)}
${objectTable('Line items', records.lineItems)}
<section><h2>Associations (${associations.length})</h2><ul>${associations.join('') || '<li>none yet</li>'}</ul></section>
<section><h2>Form submissions (${submissions.length})</h2><table><thead><tr><th>form</th><th>fields</th><th>submitted</th></tr></thead><tbody>${submissions.join('') || '<tr><td colspan="3">none yet</td></tr>'}</tbody></table></section>
</body></html>`;
}

export const portalViewRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/sandbox/portals/:portalId/records',
    auth: 'none',
    handle: ({ req, core }) => ({ status: 200, body: recordsOf(core, portalOf(core, req.params.portalId)) }),
  },
  {
    method: 'GET',
    pattern: '/sandbox/portals/:portalId',
    auth: 'none',
    handle: ({ req, core }) => ({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: renderPortal(recordsOf(core, portalOf(core, req.params.portalId))),
    }),
  },
];
