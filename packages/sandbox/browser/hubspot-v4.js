/* OnePagePay sandbox: a fake of HubSpot's v4 form embeds (forms built in the updated forms editor).
 *
 * Renders `<div class="hs-form-html" data-form-id data-portal-id data-region>` inline (the developer
 * embed, https://js.hsforms.net/forms/embed/developer/<portalId>.js) and
 * `<div class="hs-form-frame" data-form-id data-portal-id>` inside a sandboxed iframe the host page
 * cannot reach into (https://js-na2.hsforms.net/forms/embed/<portalId>.js), found on load and when
 * added later. Dispatches the documented `hs-form-event:*` window events and installs
 * `window.HubSpotFormsV4`. Inputs are React-controlled: a value set from script counts only once an
 * `input`/`change` event is dispatched, or when set through `setFieldValue`.
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
  if (window.HubSpotFormsV4 && window.HubSpotFormsV4.__onepagepaySandbox) return;

  var FRAME_CSS =
    'body{margin:0;font-family:Helvetica,Arial,sans-serif;color:#33475b}.hsfc-Row{margin-bottom:12px}' +
    '.hsfc-FieldLabel{display:block;font-size:14px;margin-bottom:4px}' +
    '.hsfc-TextInput{box-sizing:border-box;width:100%;padding:8px;border:1px solid #cbd6e2;border-radius:3px;font-size:16px}' +
    '.hsfc-ErrorAlert{color:#f2545b;font-size:13px;margin-top:4px}' +
    '.hsfc-Button{background:#ff7a59;border:none;color:#fff;padding:10px 20px;border-radius:3px;font-size:14px}';

  /* Renders and runs one form. Self-contained: it is also serialised into the frame embed's iframe. */
  function hsfcFormKit() {
    var REQUIRED = 'Please complete this required field.';
    var EMAIL = 'Please enter a valid email address.';
    var BLOCKED = 'Please enter your business email address. This form does not accept addresses from ';
    var FAILED = 'There was a problem submitting the form. Please try again.';

    function escapeHtml(value) {
      return String(value).replace(/[&<>"']/g, function (c) {
        return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
      });
    }

    function renderField(field, instanceId) {
      var id = instanceId + '-' + field.key;
      var input =
        '<input class="hsfc-TextInput" id="' +
        escapeHtml(id) +
        '" name="' +
        escapeHtml(field.key) +
        '" type="' +
        field.type +
        '" value="' +
        escapeHtml(field.value) +
        '"' +
        (field.required ? ' required="" aria-required="true"' : '') +
        (field.type === 'email' ? ' autocomplete="email" inputmode="email"' : '') +
        '>';
      if (field.type === 'hidden') return input.replace('class="hsfc-TextInput" ', '');
      var kind = field.type === 'email' ? 'hsfc-EmailField' : 'hsfc-TextField';
      return (
        '<div class="hsfc-Row"><div class="' +
        kind +
        '" data-hsfc-id="' +
        kind.slice(5) +
        '">' +
        '<label class="hsfc-FieldLabel" for="' +
        escapeHtml(id) +
        '"><span>' +
        escapeHtml(field.label) +
        '</span>' +
        (field.required
          ? '<span class="hsfc-FieldLabel__RequiredIndicator" aria-hidden="true">*</span>'
          : '') +
        '</label>' +
        input +
        '</div></div>'
      );
    }

    function mount(doc, container, config, host) {
      var definition = config.definition;
      var emailRule = new RegExp(config.emailRule, 'u');
      var fields = definition.fields.map(function (f) {
        var key = f.name.indexOf('/') >= 0 ? f.name : '0-1/' + f.name;
        return {
          key: key,
          name: key.split('/').pop(),
          label: f.label,
          type: f.type,
          required: f.required,
          value: f.value,
          step: f.step,
        };
      });
      var lastStep = fields.reduce(function (most, f) {
        return Math.max(most, f.step);
      }, 0);
      var current = 0;
      var state = {};
      fields.forEach(function (f) {
        state[f.key] = f.value;
      });
      var submitting = false;
      var done = false;

      function navigation(step) {
        var back =
          step > 0
            ? '<button type="button" class="hsfc-Button hsfc-Button--secondary" data-hsfc-id="BackButton">' +
              escapeHtml(definition.backText || 'Back') +
              '</button>'
            : '';
        var forward = step < lastStep ? definition.nextText || 'Next' : definition.submitText;
        return (
          '<div class="hsfc-NavigationRow"><div class="hsfc-NavigationRow__Buttons">' +
          back +
          '<button type="submit" class="hsfc-Button" data-hsfc-id="Button">' +
          escapeHtml(forward) +
          '</button></div></div>'
        );
      }

      // Every step is rendered; the ones not shown are display:none, as the step the payer is on moves.
      var steps = '';
      for (var step = 0; step <= lastStep; step++) {
        steps +=
          '<div class="hsfc-Step" data-hsfc-id="Step" data-step="' +
          step +
          '"' +
          (step === 0 ? '' : ' style="display:none"') +
          '><div class="hsfc-Step__Content">' +
          fields
            .filter(function (f) {
              return f.step === step;
            })
            .map(function (f) {
              return renderField(f, config.instanceId);
            })
            .join('') +
          navigation(step) +
          '</div></div>';
      }
      container.innerHTML =
        '<div class="hsfc-Renderer" data-hsfc-id="Renderer" data-form-id="' +
        escapeHtml(config.formId) +
        '" data-instance-id="' +
        escapeHtml(config.instanceId) +
        '"><form class="hsfc-Form" data-hsfc-id="Form" ' +
        'novalidate="" method="POST" action="https://forms.hsforms.com/submissions/v3/public/submit/formsnext/multipart/' +
        escapeHtml(config.portalId) +
        '/' +
        escapeHtml(config.formId) +
        '">' +
        steps +
        '</form></div>';
      var renderer = container.firstChild;
      var form = renderer.querySelector('form');

      function inputOf(key) {
        return form.querySelector('[name="' + key + '"]');
      }

      function resized() {
        if (host.resized) host.resized(doc.body.offsetHeight);
      }

      function showStep(step) {
        current = step;
        Array.prototype.forEach.call(form.querySelectorAll('.hsfc-Step'), function (node) {
          node.style.display = Number(node.getAttribute('data-step')) === step ? '' : 'none';
        });
        resized();
      }

      function showError(field, message) {
        var input = inputOf(field.key);
        var old = input.parentNode.querySelector('.hsfc-ErrorAlert');
        if (old) old.remove();
        input.setAttribute('aria-invalid', message ? 'true' : 'false');
        if (message)
          input.insertAdjacentHTML(
            'afterend',
            '<div class="hsfc-ErrorAlert" role="alert">' + escapeHtml(message) + '</div>',
          );
      }

      function errorOf(field) {
        var value = state[field.key].trim();
        if (field.type === 'hidden') return null;
        if (field.required && !value) return REQUIRED;
        if (field.type !== 'email' || !value) return null;
        if (!emailRule.test(value) || value.length > 254) return EMAIL;
        var domain = value.split('@')[1].toLowerCase();
        if (definition.blockedEmailDomains.indexOf(domain) >= 0) return BLOCKED + domain + '.';
        return null;
      }

      // React re-renders controlled inputs from its state: script-set DOM values without an event are lost.
      function rerender() {
        fields.forEach(function (f) {
          var input = inputOf(f.key);
          if (input.value !== state[f.key]) input.value = state[f.key];
        });
      }

      function fieldOf(target) {
        return fields.filter(function (f) {
          return target && f.key === target.name;
        })[0];
      }

      function sync(event) {
        var field = fieldOf(event.target);
        if (!field) return;
        state[field.key] = event.target.value;
        if (event.target.getAttribute('aria-invalid') === 'true') showError(field, errorOf(field));
      }

      /* Validates the fields of one step (or all), showing each field's error; true when none. */
      function validate(step) {
        var valid = true;
        fields.forEach(function (f) {
          if (f.type === 'hidden' || (step !== undefined && f.step !== step)) return;
          var message = errorOf(f);
          showError(f, message);
          if (message) valid = false;
        });
        resized();
        return valid;
      }

      container.addEventListener('input', sync);
      container.addEventListener('change', sync);
      // Like the real form, a field is validated when the payer leaves it.
      container.addEventListener('focusout', function (event) {
        var field = fieldOf(event.target);
        if (field && field.type !== 'hidden') showError(field, errorOf(field));
        resized();
      });
      container.addEventListener('click', function (event) {
        var back = event.target.closest && event.target.closest('[data-hsfc-id="BackButton"]');
        if (back && form.contains(back) && current > 0) showStep(current - 1);
      });
      // A bubbling listener on the React root: a capture-phase listener that prevents the default or
      // stops propagation keeps this submission from happening, as with the real embed. On a step
      // before the last, the submit (its Next button, or Enter) moves to the next step.
      container.addEventListener('submit', function (event) {
        if (event.target !== form || event.defaultPrevented) return;
        event.preventDefault();
        if (submitting || done) return;
        rerender();
        if (current < lastStep) {
          if (validate(current)) showStep(current + 1);
          return;
        }
        var old = form.querySelector('.hsfc-Form__Failure');
        if (old) old.remove();
        if (!validate()) return;
        submitting = true;
        var submission = fields
          .filter(function (f) {
            return state[f.key] !== '';
          })
          .map(function (f) {
            return { name: f.name, value: state[f.key] };
          });
        host.submit(submission).then(function (result) {
          submitting = false;
          if (result.ok) {
            done = true;
            renderer.innerHTML =
              '<div class="hsfc-PostSubmit" role="status"><div class="hsfc-RichText"><p>' +
              escapeHtml(result.inlineMessage || definition.thankYouMessage) +
              '</p></div></div>';
          } else {
            var rows = form.querySelectorAll('.hsfc-NavigationRow');
            rows[rows.length - 1].insertAdjacentHTML(
              'beforebegin',
              '<div class="hsfc-ErrorAlert hsfc-Form__Failure" role="alert">' + FAILED + '</div>',
            );
          }
          resized();
        });
      });

      resized();
      return {
        /* The payer pressing the form's own button (tests reach a frame's form only this way). */
        pressSubmit: function () {
          var buttons = form.querySelectorAll('[type=submit]');
          if (!done) buttons[Math.min(current, buttons.length - 1)].click();
        },
        getValues: function () {
          return fields.map(function (f) {
            return { name: f.key, value: state[f.key] };
          });
        },
        setFieldValue: function (key, value) {
          if (!Object.prototype.hasOwnProperty.call(state, key)) {
            console.warn(
              '[HubSpotFormsV4] setFieldValue: no field named "' + key + '" (use names like "0-1/email").',
            );
            return;
          }
          state[key] = value === undefined || value === null ? '' : String(value);
          if (!done) inputOf(key).value = state[key];
        },
      };
    }

    return { mount: mount };
  }

  /* Runs inside the frame embed's sandboxed iframe and talks to the host page by postMessage only. */
  function frameMain(kitFactory, config) {
    var pending = {};
    var sequence = 0;
    function post(message) {
      message.__hsSandbox = true;
      message.instanceId = config.instanceId;
      window.parent.postMessage(message, '*');
    }
    var controller = kitFactory().mount(document, document.getElementById('hs-root'), config, {
      submit: function (fields) {
        sequence += 1;
        var requestId = sequence;
        post({ kind: 'submit', requestId: requestId, fields: fields });
        return new Promise(function (resolve) {
          pending[requestId] = resolve;
        });
      },
      resized: function (height) {
        post({ kind: 'resize', height: height });
      },
    });
    function listen() {
      window.addEventListener('message', function (event) {
        var message = event.data;
        if (event.source !== window.parent || !message || !message.__hsSandbox) return;
        if (message.kind === 'submit-result' && pending[message.requestId]) {
          pending[message.requestId](message.result);
          delete pending[message.requestId];
        } else if (message.kind === 'set-field') {
          controller.setFieldValue(message.name, message.value);
        } else if (message.kind === 'get-values') {
          post({ kind: 'values', requestId: message.requestId, values: controller.getValues() });
        } else if (message.kind === 'press-submit') {
          controller.pressSubmit();
        }
      });
      post({ kind: 'ready', height: document.body.offsetHeight });
    }
    // A frame that is still loading (frameLoadMs, set with defineForm) drops what the page posts.
    if (config.frameLoadMs) setTimeout(listen, config.frameLoadMs);
    else listen();
    new ResizeObserver(function () {
      post({ kind: 'resize', height: document.body.offsetHeight });
    }).observe(document.body);
  }

  var kit = hsfcFormKit();
  var records = [];
  var seen = typeof WeakSet === 'function' ? new WeakSet() : null;
  var requestSequence = 0;

  function dispatch(name, record) {
    window.dispatchEvent(
      new CustomEvent(name, { detail: { formId: record.formId, instanceId: record.instanceId } }),
    );
  }

  function submitFor(record) {
    return function (fields) {
      return sandbox
        .submitForm({
          formId: record.formId,
          portalId: record.portalId,
          fields: fields,
          embed: record.frame ? 'v4-frame' : 'v4-html',
          instanceId: record.instanceId,
        })
        .then(function (result) {
          if (result.ok) record.conversionId = randomUuid();
          if (result.ok)
            record.redirectUrl = result.redirectUri || sandbox.getDefinition(record.formId).redirectUrl;
          // Let the form show its outcome before listeners run, as HubSpot does; a form set to
          // redirect then leaves the page (the frame embed is left out: it would need its parent).
          setTimeout(function () {
            dispatch(
              result.ok ? 'hs-form-event:on-submission:success' : 'hs-form-event:on-submission:failed',
              record,
            );
            if (result.ok && record.redirectUrl && !record.frame) window.location.href = record.redirectUrl;
          }, 0);
          return { ok: result.ok, status: result.status, inlineMessage: result.inlineMessage };
        });
    };
  }

  function postToFrame(record, message) {
    message.__hsSandbox = true;
    record.iframe.contentWindow.postMessage(message, '*');
  }

  function formApi(record) {
    return {
      getFormId: function () {
        return record.formId;
      },
      getInstanceId: function () {
        return record.instanceId;
      },
      getConversionId: function () {
        return record.conversionId;
      },
      getRedirectUrl: function () {
        return record.redirectUrl || '';
      },
      getFormFieldValues: function () {
        if (!record.frame) return Promise.resolve(record.controller.getValues());
        requestSequence += 1;
        var requestId = requestSequence;
        return new Promise(function (resolve) {
          record.pending[requestId] = resolve;
          postToFrame(record, { kind: 'get-values', requestId: requestId });
        });
      },
      setFieldValue: function (name, value) {
        if (record.frame) postToFrame(record, { kind: 'set-field', name: name, value: value });
        else record.controller.setFieldValue(name, value);
      },
    };
  }

  function mountFrame(record, config) {
    var iframe = document.createElement('iframe');
    iframe.title = 'Form';
    iframe.className = 'hs-form-frame-iframe';
    // No allow-same-origin: like HubSpot's cross-origin frame, the host page cannot reach the document.
    iframe.setAttribute('sandbox', 'allow-scripts allow-forms');
    iframe.setAttribute('style', 'border:none;width:100%;display:block;height:300px');
    var json = JSON.stringify(config).replace(/</g, '\\u003c');
    iframe.srcdoc =
      '<!doctype html><html><head><meta charset="utf-8"><style>' +
      FRAME_CSS +
      '</style></head><body>' +
      '<div id="hs-root"></div><script>(' +
      frameMain.toString() +
      ')(' +
      hsfcFormKit.toString() +
      ', ' +
      json +
      ');</script></body></html>';
    record.iframe = iframe;
    record.container.appendChild(iframe);
  }

  window.addEventListener('message', function (event) {
    var message = event.data;
    if (!message || !message.__hsSandbox || message.kind === undefined) return;
    var record = records.filter(function (r) {
      return (
        r.frame && r.iframe && r.iframe.contentWindow === event.source && r.instanceId === message.instanceId
      );
    })[0];
    if (!record) return;
    // A frame not laid out yet reports 0: keep the default height until its ResizeObserver reports.
    if ((message.kind === 'ready' || message.kind === 'resize') && message.height > 0) {
      record.iframe.style.height = message.height + 'px';
    }
    if (message.kind === 'ready') dispatch('hs-form-event:on-ready', record);
    if (message.kind === 'values' && record.pending[message.requestId]) {
      record.pending[message.requestId](message.values);
      delete record.pending[message.requestId];
    }
    if (message.kind === 'submit') {
      record.submit(message.fields).then(function (result) {
        postToFrame(record, { kind: 'submit-result', requestId: message.requestId, result: result });
      });
    }
  });

  function embed(container) {
    if (seen) seen.add(container);
    else container.__hsSandboxSeen = true;
    var frame = container.classList.contains('hs-form-frame');
    var record = {
      formId: container.getAttribute('data-form-id'),
      portalId: String(container.getAttribute('data-portal-id') || ''),
      region: container.getAttribute('data-region') || 'na1',
      instanceId: randomUuid(),
      conversionId: undefined,
      container: container,
      frame: frame,
      pending: {},
    };
    record.submit = submitFor(record);
    record.api = formApi(record);
    records.push(record);
    var config = {
      formId: record.formId,
      portalId: record.portalId,
      instanceId: record.instanceId,
      definition: sandbox.getDefinition(record.formId),
      emailRule: EMAIL_RULE.source,
      frameLoadMs: (sandbox.definitions[record.formId] || {}).frameLoadMs || 0,
    };
    // The real embed fetches the form definition first: render asynchronously.
    setTimeout(function () {
      if (frame) {
        mountFrame(record, config);
        return;
      }
      record.controller = kit.mount(document, container, config, { submit: record.submit });
      dispatch('hs-form-event:on-ready', record);
    }, 0);
  }

  var SELECTOR = '.hs-form-html[data-form-id], .hs-form-frame[data-form-id]';

  function isNew(node) {
    return seen ? !seen.has(node) : !node.__hsSandboxSeen;
  }

  function scan(root) {
    if (!root || root.nodeType !== Node.ELEMENT_NODE) return;
    var found = root.matches(SELECTOR) ? [root] : [];
    found = found.concat(Array.prototype.slice.call(root.querySelectorAll(SELECTOR)));
    found.filter(isNew).forEach(embed);
  }

  scan(document.documentElement);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      scan(document.documentElement);
    });
  }
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      Array.prototype.forEach.call(mutation.addedNodes, scan);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  /* Test control: the payer presses the submit button of a form, even one inside a frame. */
  sandbox.pressSubmit = function (instanceId) {
    var record = records.filter(function (r) {
      return r.instanceId === instanceId;
    })[0];
    if (!record) throw new Error('No v4 form with instance id ' + instanceId);
    if (record.frame) postToFrame(record, { kind: 'press-submit' });
    else record.controller.pressSubmit();
  };

  window.HubSpotFormsV4 = {
    getForms: function () {
      return records.map(function (r) {
        return r.api;
      });
    },
    getFormFromEvent: function (event) {
      var instanceId = event && event.detail && event.detail.instanceId;
      var record = records.filter(function (r) {
        return r.instanceId === instanceId;
      })[0];
      return record ? record.api : undefined;
    },
    __onepagepaySandbox: true,
  };
})();
