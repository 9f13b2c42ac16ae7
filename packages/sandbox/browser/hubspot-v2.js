/* OnePagePay sandbox: a fake of HubSpot's legacy form embed (//js.hsforms.net/forms/embed/v2.js).
 *
 * Installs `window.hbspt.forms.create(options)`. Forms set as raw HTML (definition flag `rawHtml`)
 * render inline; the others render inside a same-origin iframe (`iframe.hs-form-iframe`), as
 * HubSpot does. Callbacks and the global `hsFormCallback` messages follow HubSpot's legacy docs.
 * Form definitions come from `window.__hubspotSandbox.defineForm(formId, definition)`.
 */
(function () {
  'use strict';

  /* ---- shared by hubspot-v2.js and hubspot-v4.js (keep the two copies identical) ---- */
  var DEFAULT_DEFINITION = {
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'firstname', label: 'First name', type: 'text', required: false },
      { name: 'lastname', label: 'Last name', type: 'text', required: false },
      { name: 'onepagepay_transaction_id', type: 'hidden' },
      { name: 'onepagepay_payment_status', type: 'hidden' },
    ],
    submitText: 'Submit',
    thankYouMessage: 'Thanks for submitting the form.',
  };

  function randomHex(length) {
    var out = '';
    var bytes = new Uint8Array(Math.ceil(length / 2));
    window.crypto.getRandomValues(bytes);
    bytes.forEach(function (b) {
      out += ('0' + b.toString(16)).slice(-2);
    });
    return out.slice(0, length);
  }

  function randomUuid() {
    var h = randomHex(32);
    return [h.slice(0, 8), h.slice(8, 12), '4' + h.slice(13, 16), 'a' + h.slice(17, 20), h.slice(20)].join(
      '-',
    );
  }

  /* HubSpot's email rule: a dot-atom local part (never quoted), a domain ending in a top-level
   * domain of letters (HubSpot checks IANA's list; a made-up TLD of letters passes here). */
  var EMAIL_RULE = new RegExp(
    "^(?=.{1,64}@)[\\w!#$%&'*+/=?^`{|}~-]+(\\.[\\w!#$%&'*+/=?^`{|}~-]+)*" +
      '@([\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+(\\p{L}{2,63}|xn--[\\w-]{1,59})$',
    'u',
  );

  function readHutk() {
    var match = /(?:^|;\s*)hubspotutk=([^;]*)/.exec(document.cookie);
    if (match) return match[1];
    var hutk = randomHex(32);
    document.cookie = 'hubspotutk=' + hutk + '; path=/; max-age=' + 60 * 60 * 24 * 180 + '; SameSite=Lax';
    return hutk;
  }

  function installSandbox() {
    var sb = window.__hubspotSandbox || (window.__hubspotSandbox = {});
    if (typeof sb.defineForm === 'function') return sb;
    sb.definitions = sb.definitions || {};
    sb.submissions = sb.submissions || [];
    if (sb.submitUrl === undefined) sb.submitUrl = null;
    sb.hutk = readHutk();
    sb.defineForm = function (formId, definition) {
      sb.definitions[formId] = definition;
    };
    sb.getDefinition = function (formId) {
      var def = sb.definitions[formId] || DEFAULT_DEFINITION;
      return {
        fields: (def.fields || DEFAULT_DEFINITION.fields).map(function (f) {
          return {
            name: f.name,
            label: f.label || f.name,
            type: f.type || 'text',
            required: Boolean(f.required),
            value: f.value === undefined ? '' : String(f.value),
            step: f.step || 0,
          };
        }),
        redirectUrl: def.redirectUrl || '',
        blockedEmailDomains: def.blockedEmailDomains || [],
        submitText: def.submitText || 'Submit',
        thankYouMessage: def.thankYouMessage || DEFAULT_DEFINITION.thankYouMessage,
        rawHtml: Boolean(def.rawHtml),
        legacyJquery: Boolean(def.legacyJquery),
        failSubmission: Boolean(def.failSubmission),
      };
    };
    /* Records a submission, after POSTing it to the HubSpot HTTP sandbox when submitUrl is set. */
    sb.submitForm = function (submission) {
      var definition = sb.getDefinition(submission.formId);
      var record = {
        formId: submission.formId,
        portalId: String(submission.portalId),
        fields: submission.fields,
        at: new Date().toISOString(),
        embed: submission.embed,
        instanceId: submission.instanceId,
      };
      if (definition.failSubmission) return Promise.resolve({ ok: false, status: 500 });
      if (!sb.submitUrl) {
        sb.submissions.push(record);
        return Promise.resolve({ ok: true, status: 200 });
      }
      var url =
        String(sb.submitUrl).replace(/\/+$/, '') +
        '/submissions/v3/integration/submit/' +
        encodeURIComponent(record.portalId) +
        '/' +
        encodeURIComponent(record.formId);
      var body = {
        submittedAt: String(Date.now()),
        fields: record.fields.map(function (f) {
          return { objectTypeId: '0-1', name: f.name, value: f.value };
        }),
        context: { hutk: sb.hutk, pageUri: window.location.href, pageName: document.title },
      };
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
        .then(function (response) {
          return response.text().then(function (text) {
            if (response.ok) sb.submissions.push(record);
            var reply = {};
            try {
              reply = JSON.parse(text);
            } catch {
              // HubSpot answers JSON; anything else is a failure body kept as text.
            }
            return {
              ok: response.ok,
              status: response.status,
              body: text,
              inlineMessage: reply.inlineMessage,
              redirectUri: reply.redirectUri,
            };
          });
        })
        .catch(function (error) {
          return { ok: false, status: 0, body: String(error) };
        });
    };
    return sb;
  }
  /* ---- end of the shared part ---- */

  var sandbox = installSandbox();

  /* What HubSpot's form says of an email value: null (fine), 'format', or the blocked domain. */
  function emailProblem(value, definition) {
    if (!EMAIL_RULE.test(value) || value.length > 254) return 'format';
    var domain = value.split('@')[1].toLowerCase();
    return definition.blockedEmailDomains.indexOf(domain) >= 0 ? 'blocked:' + domain : null;
  }
  if (window.hbspt && window.hbspt.forms && window.hbspt.forms.__onepagepaySandbox) return;

  var REQUIRED_MESSAGE = 'Please complete this required field.';
  var EMAIL_MESSAGE = 'Email must be formatted correctly.';
  var BLOCKED_MESSAGE = 'Please enter your business email address. This form does not accept addresses from ';
  var ROLLUP_MESSAGE = 'Please complete all required fields.';
  var FAILURE_MESSAGE = 'There was a problem submitting the form. Please try again.';
  var DEFAULT_CSS =
    '.hs-form{font-family:Helvetica,Arial,sans-serif;color:#33475b}.hs-form-field{margin-bottom:12px}' +
    '.hs-form-field label{display:block;font-size:14px;margin-bottom:4px}' +
    '.hs-input{box-sizing:border-box;width:100%;padding:8px;border:1px solid #cbd6e2;border-radius:3px;font-size:16px}' +
    '.hs-input.invalid{border-color:#f2545b}.hs-error-msgs{list-style:none;padding:0;margin:4px 0;color:#f2545b;font-size:13px}' +
    '.hs-button{background:#ff7a59;border:none;color:#fff;padding:10px 20px;border-radius:3px;font-size:14px;cursor:pointer}';
  var instanceCount = 0;

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function renderField(field, formId) {
    var id = field.name + '-' + formId;
    var classes = 'hs_' + field.name + ' hs-' + field.name + ' hs-fieldtype-text field hs-form-field';
    var input =
      '<input id="' +
      id +
      '" name="' +
      escapeHtml(field.name) +
      '" class="hs-input" type="' +
      field.type +
      '"' +
      (field.required ? ' required=""' : '') +
      ' value="' +
      escapeHtml(field.value) +
      '"' +
      (field.type === 'email' ? ' autocomplete="email" inputmode="email"' : '') +
      '>';
    if (field.type === 'hidden') {
      return '<div class="' + classes + '" style="display:none"><div class="input">' + input + '</div></div>';
    }
    return (
      '<div class="' +
      classes +
      '"><label id="label-' +
      id +
      '" for="' +
      id +
      '"><span>' +
      escapeHtml(field.label) +
      '</span>' +
      (field.required ? '<span class="hs-form-required">*</span>' : '') +
      '</label>' +
      '<legend class="hs-field-desc" style="display:none"></legend><div class="input">' +
      input +
      '</div></div>'
    );
  }

  function renderForm(definition, options, instanceId) {
    var formId = options.formId;
    var buttonClass = options.submitButtonClass || 'hs-button primary large';
    return (
      '<form novalidate="" accept-charset="UTF-8" method="POST" enctype="multipart/form-data"' +
      ' action="https://forms.hsforms.com/submissions/v3/public/submit/formsnext/multipart/' +
      escapeHtml(options.portalId) +
      '/' +
      escapeHtml(formId) +
      '"' +
      ' id="hsForm_' +
      escapeHtml(formId) +
      '" data-form-id="' +
      escapeHtml(formId) +
      '"' +
      ' data-portal-id="' +
      escapeHtml(options.portalId) +
      '" data-instance-id="' +
      instanceId +
      '"' +
      ' class="hs-form stacked hs-form-private hsForm_' +
      escapeHtml(formId) +
      ' hs-form-' +
      escapeHtml(formId) +
      ' hs-form-' +
      escapeHtml(formId) +
      '_' +
      instanceId +
      (options.cssClass ? ' ' + escapeHtml(options.cssClass) : '') +
      '">' +
      definition.fields
        .map(function (f) {
          return renderField(f, formId);
        })
        .join('') +
      '<div class="hs_submit hs-submit"><div class="hs-field-desc" style="display:none"></div><div class="actions">' +
      '<input type="submit" class="' +
      escapeHtml(buttonClass) +
      '" value="' +
      escapeHtml(definition.submitText) +
      '">' +
      '</div></div></form>'
    );
  }

  /* The subset of jQuery that HubSpot's older embeds handed to callbacks as `$form`. */
  function wrapJquery(nodes) {
    var list = Array.prototype.slice.call(nodes);
    var $ = { length: list.length, jquery: '1.7.1-onepagepay-sandbox' };
    list.forEach(function (node, i) {
      $[i] = node;
    });
    $.get = function (i) {
      return i === undefined ? list.slice() : list[i];
    };
    $.each = function (fn) {
      list.forEach(function (node, i) {
        fn.call(node, i, node);
      });
      return $;
    };
    $.find = function (selector) {
      var found = [];
      list.forEach(function (node) {
        found = found.concat(Array.prototype.slice.call(node.querySelectorAll(selector)));
      });
      return wrapJquery(found);
    };
    $.val = function (value) {
      if (value === undefined) return list[0] ? list[0].value : undefined;
      list.forEach(function (node) {
        node.value = value;
      });
      return $;
    };
    $.attr = function (name, value) {
      if (value === undefined) return list[0] ? list[0].getAttribute(name) : undefined;
      list.forEach(function (node) {
        node.setAttribute(name, value);
      });
      return $;
    };
    $.trigger = function (type) {
      list.forEach(function (node) {
        node.dispatchEvent(new Event(type, { bubbles: true }));
      });
      return $;
    };
    $.change = function () {
      return $.trigger('change');
    };
    $.on = function (type, handler) {
      list.forEach(function (node) {
        node.addEventListener(type, handler);
      });
      return $;
    };
    return $;
  }

  function postCallbackMessage(eventName, formId, data) {
    window.postMessage({ type: 'hsFormCallback', eventName: eventName, id: formId, data: data }, '*');
  }

  function resolveTarget(target, fallbackAnchor) {
    if (target) {
      var node = typeof target === 'string' ? document.querySelector(target) : target;
      if (node && node.nodeType === 1) return node;
      console.error('[hbspt.forms.create] target "' + target + '" matches no element on the page.');
      return null;
    }
    var holder = document.createElement('div');
    if (fallbackAnchor && fallbackAnchor.parentNode)
      fallbackAnchor.parentNode.insertBefore(holder, fallbackAnchor.nextSibling);
    else document.body.appendChild(holder);
    return holder;
  }

  function mountRoot(container, definition, options, instanceId) {
    var root = document.createElement('div');
    root.className = 'hbspt-form';
    root.id = 'hbspt-form-' + instanceId;
    root.setAttribute('data-hs-forms-root', 'true');
    container.appendChild(root);
    var markup = renderForm(definition, options, instanceId);
    var css = options.css === undefined ? DEFAULT_CSS : options.css;
    if (definition.rawHtml) {
      root.innerHTML = markup;
      return { root: root, formRoot: root, iframe: null };
    }
    var iframe = document.createElement('iframe');
    iframe.id = 'hs-form-iframe-' + instanceCount;
    iframe.className = 'hs-form-iframe';
    iframe.title = 'Form ' + instanceCount;
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('style', 'position:static;border:none;display:block;overflow:hidden;width:100%');
    root.appendChild(iframe);
    var doc = iframe.contentDocument;
    doc.open();
    doc.write(
      '<!doctype html><html><head><meta charset="utf-8"><style>' +
        css +
        '</style></head>' +
        '<body style="margin:0"><div class="hbspt-form">' +
        markup +
        '</div></body></html>',
    );
    doc.close();
    return { root: root, formRoot: doc.querySelector('.hbspt-form'), iframe: iframe };
  }

  function create(options) {
    options = Object.assign({}, options);
    if (!options.portalId || !options.formId) {
      console.error('[hbspt.forms.create] portalId and formId are required.');
      return;
    }
    options.portalId = String(options.portalId);
    var anchor = document.currentScript;
    // HubSpot fetches the form definition over the network first: everything below is asynchronous.
    function build() {
      setTimeout(function () {
        buildForm(options, anchor);
      }, 0);
    }
    if (document.readyState === 'loading')
      document.addEventListener('DOMContentLoaded', build, { once: true });
    else build();
  }

  function buildForm(options, anchor) {
    var container = resolveTarget(options.target, anchor);
    if (!container) return;
    var definition = sandbox.getDefinition(options.formId);
    var instanceId = randomUuid();
    var formId = options.formId;
    var ctx = { portalId: options.portalId, formId: formId, instanceId: instanceId, target: options.target };
    if (options.onBeforeFormInit) options.onBeforeFormInit(ctx);
    postCallbackMessage('onBeforeFormInit', formId, ctx);
    instanceCount += 1;
    var mounted = mountRoot(container, definition, options, instanceId);
    var form = mounted.formRoot.querySelector('form');
    var callbackArg = definition.legacyJquery ? wrapJquery([form]) : form;
    var submitting = false;

    function resize() {
      if (mounted.iframe) mounted.iframe.style.height = form.ownerDocument.body.offsetHeight + 'px';
    }

    function fieldError(field) {
      var input = form.querySelector('[name="' + field.name + '"]');
      var value = input ? input.value.trim() : '';
      if (field.type === 'hidden') return null;
      if (field.required && !value) return REQUIRED_MESSAGE;
      var problem = field.type === 'email' && value ? emailProblem(value, definition) : null;
      if (problem === 'format') return EMAIL_MESSAGE;
      if (problem) return BLOCKED_MESSAGE + problem.slice('blocked:'.length) + '.';
      return null;
    }

    function showFieldError(field, message) {
      var wrapper = form.querySelector('.hs_' + field.name);
      var input = form.querySelector('[name="' + field.name + '"]');
      var old = wrapper.querySelector(':scope > .hs-error-msgs');
      if (old) old.remove();
      input.classList.toggle('invalid', Boolean(message));
      input.classList.toggle('error', Boolean(message));
      if (message) {
        wrapper.insertAdjacentHTML(
          'beforeend',
          '<ul class="no-list hs-error-msgs inputs-list" role="alert"><li><label class="hs-error-msg hs-main-font-element">' +
            escapeHtml(message) +
            '</label></li></ul>',
        );
      }
    }

    function showRollup(message) {
      var old = form.querySelector('.hs_error_rollup');
      if (old) old.remove();
      if (!message) return;
      form
        .querySelector('.hs_submit')
        .insertAdjacentHTML(
          'beforebegin',
          '<div class="hs_error_rollup"><ul class="no-list hs-error-msgs inputs-list" role="alert"><li>' +
            '<label class="hs-main-font-element">' +
            escapeHtml(message) +
            '</label></li></ul></div>',
        );
    }

    function validateAll() {
      var valid = true;
      definition.fields.forEach(function (field) {
        if (field.type === 'hidden') return;
        var message = fieldError(field);
        showFieldError(field, message);
        if (message) valid = false;
      });
      showRollup(valid ? null : ROLLUP_MESSAGE);
      resize();
      return valid;
    }

    /* Only fields of the definition are sent, and only those with a value in the DOM. */
    function readValues() {
      var values = [];
      definition.fields.forEach(function (field) {
        var input = form.querySelector('[name="' + field.name + '"]');
        if (input && input.value !== '') values.push({ name: field.name, value: input.value });
      });
      return values;
    }

    function showThankYou(serverMessage) {
      var message = form.ownerDocument.createElement('div');
      message.className =
        'submitted-message hs-main-font-element hs-form-' + formId + ' hs-form-' + formId + '_' + instanceId;
      message.textContent = options.inlineMessage || serverMessage || definition.thankYouMessage;
      form.parentNode.replaceChild(message, form);
      resize();
    }

    form.addEventListener('focusout', function (event) {
      var field = definition.fields.filter(function (f) {
        return f.name === event.target.name;
      })[0];
      if (field) showFieldError(field, fieldError(field));
      resize();
    });

    // A bubbling listener on the root, like HubSpot's React root: a capture-phase listener that
    // prevents the default or stops propagation keeps this submission from happening.
    mounted.formRoot.addEventListener('submit', function (event) {
      if (event.target !== form || event.defaultPrevented) return;
      event.preventDefault();
      if (submitting) return;
      if (!validateAll()) return;
      var values = readValues();
      if (options.onBeforeFormSubmit) options.onBeforeFormSubmit(callbackArg, values);
      postCallbackMessage('onBeforeFormSubmit', formId, values);
      if (options.onFormSubmit) options.onFormSubmit(callbackArg);
      values = readValues();
      postCallbackMessage('onFormSubmit', formId, values);
      submitting = true;
      sandbox
        .submitForm({
          formId: formId,
          portalId: options.portalId,
          fields: values,
          embed: 'v2',
          instanceId: instanceId,
        })
        .then(function (result) {
          if (!result.ok) {
            submitting = false;
            showRollup(FAILURE_MESSAGE);
            resize();
            return;
          }
          var submissionValues = {};
          values.forEach(function (v) {
            submissionValues[v.name] = v.value;
          });
          var redirect = options.redirectUrl || result.redirectUri || definition.redirectUrl || '';
          var data = { redirectUrl: redirect, submissionValues: submissionValues };
          showThankYou(result.inlineMessage);
          if (options.onFormSubmitted) options.onFormSubmitted(callbackArg, data);
          postCallbackMessage('onFormSubmitted', formId, data);
          // Like HubSpot, a form set to redirect leaves the page right after its callbacks.
          if (redirect) window.location.href = redirect;
        });
    });

    resize();
    if (options.onFormReady) options.onFormReady(callbackArg);
    postCallbackMessage('onFormReady', formId, {});
  }

  window.hbspt = window.hbspt || {};
  window.hbspt.forms = { create: create, __onepagepaySandbox: true };
})();
