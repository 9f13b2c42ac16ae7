/* OnePagePay sandbox: a fake of Stripe.js v3 for offline tests and demos.
 *
 * Load it as <script src="http://127.0.0.1:12111/js/stripe.js" data-api-base="http://127.0.0.1:12111">.
 * It installs `window.Stripe` (a plain function, as @stripe/stripe-js's loadStripe expects) and talks
 * to the OnePagePay Stripe sandbox with the publishable key, form-encoded like the real Stripe.js.
 * The Payment Element renders real inputs inside an iframe so that, like real Stripe, card data never
 * becomes part of the host page's form. `window.__stripeSandbox` holds test hooks.
 */
(function () {
  'use strict';
  if (typeof window.Stripe === 'function' && window.Stripe.__onepagepaySandbox) return;

  var DEFAULT_API_BASE = 'http://127.0.0.1:12111';
  var script = document.currentScript;
  var scriptApiBase = readScriptApiBase(script);
  var mountedElements = [];
  var frameCounter = 0;

  function readScriptApiBase(el) {
    if (!el) return null;
    if (el.dataset && el.dataset.apiBase) return el.dataset.apiBase.replace(/\/+$/, '');
    // Served by the sandbox itself at /js/stripe.js: the API lives on the same origin.
    if (el.src && /\/js\/stripe\.js(\?|$)/.test(el.src)) return new URL(el.src).origin;
    return null;
  }

  function integrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  /* Stripe's bracket syntax: {card: {number: 1}} -> card[number]=1. */
  function encodeForm(params) {
    var pairs = [];
    (function walk(value, key) {
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) {
        value.forEach(function (item, i) {
          walk(item, key + '[' + i + ']');
        });
      } else if (typeof value === 'object') {
        Object.keys(value).forEach(function (k) {
          walk(value[k], key ? key + '[' + k + ']' : k);
        });
      } else {
        pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
      }
    })(params, '');
    return pairs.join('&');
  }

  function mergeDeep(target, source) {
    Object.keys(source || {}).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        target[key] = mergeDeep(target[key] && typeof target[key] === 'object' ? target[key] : {}, value);
      } else if (value !== undefined) {
        target[key] = value;
      }
    });
    return target;
  }

  function intentIdFromSecret(clientSecret) {
    var match = /^((?:pi|seti)_[^_]+(?:_[^_]+)*?)_secret_/.exec(String(clientSecret || ''));
    return match ? match[1] : null;
  }

  function createApi(publishableKey, apiBase) {
    function request(method, path, params) {
      var url = apiBase + path;
      var init = { method: method, headers: { Authorization: 'Bearer ' + publishableKey } };
      if (method === 'GET' && params) url += '?' + encodeForm(params);
      else if (params) {
        init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
        init.body = encodeForm(params);
      }
      return fetch(url, init).then(
        function (response) {
          return response.json().then(
            function (body) {
              if (response.ok) return { body: body };
              return {
                error: (body && body.error) || { type: 'api_error', message: 'HTTP ' + response.status },
              };
            },
            function () {
              return { error: { type: 'api_error', message: 'Invalid JSON from ' + url } };
            },
          );
        },
        function (cause) {
          return {
            error: { type: 'api_connection_error', message: 'Could not reach ' + url + ': ' + cause },
          };
        },
      );
    }
    return { request: request };
  }

  /* ---------- card validation, with Stripe's client-side error codes ---------- */

  function digitsOf(value) {
    return String(value || '').replace(/\D/g, '');
  }

  function brandOf(number) {
    if (/^3[47]/.test(number)) return 'amex';
    if (/^4/.test(number)) return 'visa';
    if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
    if (/^6(011|5)/.test(number)) return 'discover';
    return 'unknown';
  }

  function passesLuhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i += 1) {
      var digit = Number(number[number.length - 1 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    return number.length > 0 && sum % 10 === 0;
  }

  function formatNumber(number) {
    var groups = brandOf(number) === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
    var parts = [];
    var rest = number;
    for (var i = 0; i < groups.length && rest; i += 1) {
      parts.push(rest.slice(0, groups[i]));
      rest = rest.slice(groups[i]);
    }
    return parts.join(' ');
  }

  function formatExpiry(value) {
    var d = digitsOf(value);
    if (d.length === 1 && Number(d) > 1) d = '0' + d;
    d = d.slice(0, 4);
    return d.length > 2 ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
  }

  var POSTAL_COUNTRIES = ['US', 'GB', 'CA'];

  function validateCard(values, showsPostal, now) {
    var errors = [];
    var number = digitsOf(values.number);
    var amex = brandOf(number) === 'amex';
    if (number.length < (amex ? 15 : 16)) {
      errors.push({ field: 'number', code: 'incomplete_number', message: 'Your card number is incomplete.' });
    } else if (!passesLuhn(number)) {
      errors.push({ field: 'number', code: 'invalid_number', message: 'Your card number is invalid.' });
    }
    var expiry = digitsOf(values.expiry);
    var month = Number(expiry.slice(0, 2));
    var year = 2000 + Number(expiry.slice(2, 4));
    if (expiry.length < 4) {
      errors.push({
        field: 'expiry',
        code: 'incomplete_expiry',
        message: "Your card's expiration date is incomplete.",
      });
    } else if (month < 1 || month > 12) {
      errors.push({
        field: 'expiry',
        code: 'invalid_expiry_month',
        message: "Your card's expiration month is invalid.",
      });
    } else if (year < now.getFullYear()) {
      errors.push({
        field: 'expiry',
        code: 'invalid_expiry_year_past',
        message: "Your card's expiration year is in the past.",
      });
    } else if (year === now.getFullYear() && month < now.getMonth() + 1) {
      errors.push({
        field: 'expiry',
        code: 'invalid_expiry_month_past',
        message: "Your card's expiration date is in the past.",
      });
    }
    if (digitsOf(values.cvc).length < (amex ? 4 : 3)) {
      errors.push({
        field: 'cvc',
        code: 'incomplete_cvc',
        message: "Your card's security code is incomplete.",
      });
    }
    if (showsPostal) {
      var postal = String(values.postalCode || '').trim();
      var tooShort = values.country === 'US' ? digitsOf(postal).length < 5 : postal.length === 0;
      if (tooShort) {
        var noun = values.country === 'US' ? 'ZIP' : 'postal code';
        errors.push({
          field: 'postalCode',
          code: 'incomplete_zip',
          message: 'Your ' + noun + ' is incomplete.',
        });
      }
    }
    return errors;
  }

  /* ---------- the Elements group and the Payment Element ---------- */

  function checkElementsOptions(options) {
    if (options.mode && ['payment', 'setup', 'subscription'].indexOf(options.mode) < 0) {
      throw integrationError(
        'Invalid value for elements(): mode should be one of payment, setup, subscription.',
      );
    }
    if (options.mode && !options.currency) {
      throw integrationError('Missing value for elements(): currency is required when mode is set.');
    }
    if (options.mode === 'payment' && !(Number.isInteger(options.amount) && options.amount >= 0)) {
      throw integrationError(
        'Invalid value for elements(): amount should be an integer in the smallest currency unit.',
      );
    }
  }

  function createElementsGroup(options, retrievePaymentIntent) {
    checkElementsOptions(options);
    var state = { options: mergeDeep({}, options), submitted: false, element: null };
    var group = {
      create: function (type, elementOptions) {
        if (type !== 'payment') {
          throw integrationError(
            'The OnePagePay sandbox fakes only the Payment Element, not "' + type + '".',
          );
        }
        if (!state.options.clientSecret && !state.options.mode) {
          throw integrationError(
            'In order to create a payment element, you must pass a clientSecret or mode when creating the Elements group.',
          );
        }
        if (state.element && !state.element._destroyed()) {
          throw integrationError('Can only create one Element of type payment.');
        }
        state.element = createPaymentElement(state, elementOptions || {}, retrievePaymentIntent);
        return state.element;
      },
      getElement: function (type) {
        return type === 'payment' && state.element && !state.element._destroyed() ? state.element : null;
      },
      submit: function () {
        return Promise.resolve().then(function () {
          var element = group.getElement('payment');
          if (!element || !element._isMounted()) {
            throw integrationError('elements.submit(): mount a Payment Element before calling submit().');
          }
          var errors = element._validate(true);
          if (errors.length) {
            return { error: { type: 'validation_error', code: errors[0].code, message: errors[0].message } };
          }
          state.submitted = true;
          return { selectedPaymentMethod: 'card' };
        });
      },
      update: function (updates) {
        if (updates && updates.mode) checkElementsOptions(mergeDeep(mergeDeep({}, state.options), updates));
        mergeDeep(state.options, updates || {});
        if (state.element) state.element._applyAppearance();
      },
      fetchUpdates: function () {
        if (!state.options.clientSecret) return Promise.resolve({});
        return retrievePaymentIntent(state.options.clientSecret).then(function (result) {
          return result.error ? { error: result.error } : {};
        });
      },
      _options: state.options,
      _isSubmitted: function () {
        return state.submitted;
      },
      _readCard: function () {
        return state.element._readCard();
      },
    };
    state.invalidate = function () {
      state.submitted = false;
    };
    return group;
  }

  var FRAME_STYLE =
    'html{font-family:var(--fontFamily);color:var(--colorText);background:transparent}' +
    'body{margin:0;padding:2px}' +
    '.p-Tab{display:inline-block;border:2px solid var(--colorPrimary);border-radius:var(--borderRadius);' +
    'padding:6px 12px;margin-bottom:12px;color:var(--colorPrimary);font-weight:600;font-size:14px}' +
    '.p-Row{display:flex;gap:12px;margin-bottom:12px}.p-Field{flex:1}' +
    '.p-Field label{display:block;font-size:14px;margin-bottom:4px}' +
    '.p-Input{box-sizing:border-box;width:100%;padding:10px;font-size:16px;color:var(--colorText);' +
    'background:var(--colorBackground);border:1px solid #e6e6e6;border-radius:var(--borderRadius)}' +
    '.p-Input:focus{outline:none;border-color:var(--colorPrimary);box-shadow:0 0 0 3px rgba(5,115,225,.25)}' +
    '.p-Input[aria-invalid=true]{border-color:var(--colorDanger);color:var(--colorDanger)}' +
    '.p-FieldError{color:var(--colorDanger);font-size:13px;margin-top:4px;min-height:0}';

  function frameMarkup() {
    var countries = [
      ['US', 'United States'],
      ['GB', 'United Kingdom'],
      ['CA', 'Canada'],
      ['DE', 'Germany'],
      ['FR', 'France'],
      ['IE', 'Ireland'],
      ['NL', 'Netherlands'],
      ['AU', 'Australia'],
    ];
    function field(name, label, attrs) {
      return (
        '<div class="p-Field" data-field="' +
        name +
        '"><label for="Field-' +
        name +
        'Input">' +
        label +
        '</label>' +
        '<input class="p-Input" id="Field-' +
        name +
        'Input" name="' +
        name +
        '" ' +
        attrs +
        ' aria-invalid="false" aria-describedby="Field-' +
        name +
        'Error">' +
        '<div class="p-FieldError" id="Field-' +
        name +
        'Error" role="alert"></div></div>'
      );
    }
    return (
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><style>' +
      FRAME_STYLE +
      '</style></head><body>' +
      '<div class="p-PaymentElement"><div class="p-Tab" role="tab" aria-selected="true">Card</div>' +
      '<div class="p-Row">' +
      field(
        'number',
        'Card number',
        'type="text" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"',
      ) +
      '</div><div class="p-Row">' +
      field(
        'expiry',
        'Expiration date',
        'type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"',
      ) +
      field(
        'cvc',
        'Security code',
        'type="text" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" maxlength="4"',
      ) +
      '</div><div class="p-Row" data-billing>' +
      '<div class="p-Field" data-field="country"><label for="Field-countryInput">Country</label>' +
      '<select class="p-Input" id="Field-countryInput" name="country" autocomplete="country">' +
      countries
        .map(function (c) {
          return '<option value="' + c[0] + '">' + c[1] + '</option>';
        })
        .join('') +
      '</select></div>' +
      field('postalCode', 'ZIP code', 'type="text" autocomplete="postal-code" placeholder="12345"') +
      '</div></div></body></html>'
    );
  }

  function appearanceVariables(appearance) {
    var night = appearance && appearance.theme === 'night';
    return mergeDeep(
      {
        colorPrimary: '#0570de',
        colorBackground: night ? '#30313d' : '#ffffff',
        colorText: night ? '#ffffff' : '#30313d',
        colorDanger: '#df1b41',
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        borderRadius: '5px',
      },
      (appearance && appearance.variables) || {},
    );
  }

  function hidesField(fieldsOption, key) {
    var billing = fieldsOption && fieldsOption.billingDetails;
    if (billing === 'never') return true;
    var address = billing && billing.address;
    return address === 'never' || (address && address[key] === 'never');
  }

  function createPaymentElement(groupState, options, retrievePaymentIntent) {
    var handlers = {};
    var values = { number: '', expiry: '', cvc: '', country: 'US', postalCode: '' };
    var defaults = ((options.defaultValues || {}).billingDetails || {}).address || {};
    if (defaults.country) values.country = defaults.country;
    if (defaults.postal_code) values.postalCode = defaults.postal_code;
    var touched = {};
    var showAllErrors = false;
    var wrapper = null;
    var iframe = null;
    var destroyed = false;
    var focused = false;
    var hydratedDoc = null;

    function emit(name, payload) {
      (handlers[name] || []).slice().forEach(function (handler) {
        handler(payload);
      });
    }

    function frameDocument() {
      return iframe && hydratedDoc && iframe.contentDocument === hydratedDoc ? hydratedDoc : null;
    }

    function showsCountry() {
      return !hidesField(options.fields, 'country');
    }

    function showsPostal() {
      return !hidesField(options.fields, 'postalCode') && POSTAL_COUNTRIES.indexOf(values.country) >= 0;
    }

    function isEmpty() {
      return !values.number && !values.expiry && !values.cvc && !(showsPostal() && values.postalCode);
    }

    function validate(revealAll) {
      if (revealAll) showAllErrors = true;
      var errors = validateCard(values, showsPostal(), new Date());
      renderErrors(errors);
      return errors;
    }

    function renderErrors(errors) {
      var doc = frameDocument();
      if (!doc || !doc.body) return;
      ['number', 'expiry', 'cvc', 'postalCode'].forEach(function (name) {
        var error = errors.filter(function (e) {
          return e.field === name;
        })[0];
        var visible = error && (showAllErrors || touched[name]);
        doc.getElementById('Field-' + name + 'Error').textContent = visible ? error.message : '';
        doc
          .getElementById('Field-' + name + 'Input')
          .setAttribute('aria-invalid', visible ? 'true' : 'false');
      });
      resizeFrame();
    }

    function resizeFrame() {
      var doc = frameDocument();
      if (doc && doc.body) iframe.style.height = doc.body.offsetHeight + 'px';
    }

    function applyAppearance() {
      var doc = frameDocument();
      if (!doc || !doc.documentElement) return;
      var vars = appearanceVariables(groupState.options.appearance);
      Object.keys(vars).forEach(function (key) {
        doc.documentElement.style.setProperty('--' + key, String(vars[key]));
      });
    }

    function syncVisibility() {
      var doc = frameDocument();
      if (!doc || !doc.body) return;
      doc.querySelector('[data-field="country"]').style.display = showsCountry() ? '' : 'none';
      doc.querySelector('[data-field="postalCode"]').style.display = showsPostal() ? '' : 'none';
      doc.querySelector('label[for="Field-postalCodeInput"]').textContent =
        values.country === 'US' ? 'ZIP code' : 'Postal code';
    }

    function onInput(event) {
      var input = event.target;
      var name = input.name;
      if (name === 'number') input.value = formatNumber(digitsOf(input.value).slice(0, 19));
      if (name === 'expiry' && !/^delete/.test(event.inputType || ''))
        input.value = formatExpiry(input.value);
      if (name === 'cvc') input.value = digitsOf(input.value).slice(0, 4);
      values[name] = input.value;
      groupState.invalidate();
      syncVisibility();
      var errors = validate(false);
      emit('change', {
        elementType: 'payment',
        collapsed: false,
        complete: errors.length === 0,
        empty: isEmpty(),
        value: { type: 'card' },
      });
    }

    // Runs on every load of the srcdoc: moving the iframe in the DOM reloads it, as with real Stripe.
    function hydrateFrame() {
      var doc = iframe && iframe.contentDocument;
      if (!doc || !doc.getElementById('Field-numberInput')) return false;
      hydratedDoc = doc;
      Object.keys(values).forEach(function (name) {
        doc.getElementById('Field-' + name + 'Input').value = values[name];
      });
      doc.addEventListener('input', onInput);
      doc.addEventListener('change', onInput);
      doc.addEventListener('focusin', function () {
        if (!focused) emit('focus', { elementType: 'payment' });
        focused = true;
      });
      doc.addEventListener('focusout', function (event) {
        touched[event.target.name] = true;
        validate(false);
        if (event.relatedTarget && event.relatedTarget.ownerDocument === doc) return;
        focused = false;
        emit('blur', { elementType: 'payment' });
      });
      applyAppearance();
      syncVisibility();
      renderErrors(validateCard(values, showsPostal(), new Date()));
      return true;
    }

    function resolveTarget(target) {
      var node = target;
      if (typeof target === 'string') {
        node = document.querySelector(target);
        if (!node) {
          throw integrationError(
            'The selector you specified (' +
              target +
              ') applies to no DOM elements that are currently on the page.\n' +
              'Make sure the element exists on the page before calling mount().',
          );
        }
      }
      // nodeType, not instanceof: the container may live in a same-origin iframe (another realm).
      if (!node || node.nodeType !== 1) {
        throw integrationError(
          'Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.',
        );
      }
      return node;
    }

    function assertAlive() {
      if (destroyed)
        throw integrationError('This Element has already been destroyed. Please create a new one.');
    }

    var element = {
      mount: function (target) {
        assertAlive();
        if (wrapper) {
          throw integrationError(
            'This Element is already mounted. Use `unmount` to unmount the Element before re-mounting.',
          );
        }
        var container = resolveTarget(target);
        wrapper = document.createElement('div');
        wrapper.className = '__PrivateStripeElement';
        wrapper.setAttribute(
          'style',
          'margin:0;padding:0;border:none;display:block;background:transparent;position:relative;opacity:1',
        );
        frameCounter += 1;
        iframe = document.createElement('iframe');
        iframe.name = '__privateStripeFrame' + (5000 + frameCounter);
        iframe.title = 'Secure payment input frame';
        iframe.setAttribute('allowtransparency', 'true');
        iframe.setAttribute('scrolling', 'no');
        iframe.setAttribute(
          'style',
          'border:none;margin:0;padding:0;width:100%;min-width:100%;display:block;overflow:hidden',
        );
        wrapper.appendChild(iframe);
        container.appendChild(wrapper);
        mountedElements.push(element);
        var ready = groupState.options.clientSecret
          ? retrievePaymentIntent(groupState.options.clientSecret)
          : Promise.resolve({});
        ready.then(function (result) {
          if (!wrapper) return;
          if (result.error) {
            emit('loaderror', { elementType: 'payment', error: result.error });
            return;
          }
          var readyEmitted = false;
          iframe.addEventListener('load', function () {
            if (!hydrateFrame() || readyEmitted) return;
            readyEmitted = true;
            emit('ready', { elementType: 'payment' });
          });
          iframe.srcdoc = frameMarkup();
        });
      },
      unmount: function () {
        assertAlive();
        if (wrapper && wrapper.parentNode) wrapper.parentNode.removeChild(wrapper);
        wrapper = null;
        iframe = null;
        hydratedDoc = null;
        focused = false;
        var index = mountedElements.indexOf(element);
        if (index >= 0) mountedElements.splice(index, 1);
      },
      destroy: function () {
        if (destroyed) return;
        element.unmount();
        destroyed = true;
      },
      on: function (name, handler) {
        (handlers[name] = handlers[name] || []).push(handler);
        return element;
      },
      once: function (name, handler) {
        function wrapped(payload) {
          element.off(name, wrapped);
          handler(payload);
        }
        return element.on(name, wrapped);
      },
      off: function (name, handler) {
        if (!handler) delete handlers[name];
        else
          handlers[name] = (handlers[name] || []).filter(function (h) {
            return h !== handler;
          });
        return element;
      },
      collapse: function () {
        assertAlive();
        return element;
      },
      focus: function () {
        assertAlive();
        var doc = frameDocument();
        if (doc && doc.body) {
          iframe.focus();
          doc.getElementById('Field-numberInput').focus();
        }
      },
      blur: function () {
        var doc = frameDocument();
        if (doc && doc.activeElement) doc.activeElement.blur();
      },
      clear: function () {
        assertAlive();
        element._fill({ number: '', expiry: '', cvc: '', postalCode: '' });
        touched = {};
        showAllErrors = false;
        validate(false);
      },
      update: function (updates) {
        assertAlive();
        mergeDeep(options, updates || {});
        syncVisibility();
      },
      _fill: function (card) {
        var doc = frameDocument();
        if (!doc || !doc.body)
          throw new Error('The Payment Element is not ready yet: wait for its "ready" event.');
        ['country', 'number', 'expiry', 'cvc', 'postalCode'].forEach(function (name) {
          if (card[name] === undefined) return;
          var input = doc.getElementById('Field-' + name + 'Input');
          input.value = card[name];
          input.dispatchEvent(new doc.defaultView.Event('input', { bubbles: true }));
        });
      },
      _validate: validate,
      _applyAppearance: applyAppearance,
      _isMounted: function () {
        return Boolean(wrapper);
      },
      _destroyed: function () {
        return destroyed;
      },
      _readCard: function () {
        var expiry = digitsOf(values.expiry);
        return {
          number: digitsOf(values.number),
          expMonth: Number(expiry.slice(0, 2)),
          expYear: 2000 + Number(expiry.slice(2, 4)),
          cvc: digitsOf(values.cvc),
          country: showsCountry() ? values.country : undefined,
          postalCode: showsPostal() ? values.postalCode : undefined,
        };
      },
    };
    return element;
  }

  /* ---------- the 3-D Secure challenge ---------- */

  function formatAmount(amount, currency) {
    try {
      var format = new Intl.NumberFormat('en', {
        style: 'currency',
        currency: String(currency).toUpperCase(),
      });
      var exponent = format.resolvedOptions().maximumFractionDigits;
      return format.format(amount / Math.pow(10, exponent));
    } catch {
      return amount + ' ' + currency;
    }
  }

  /* Shows a visible in-page challenge, like Stripe's 3DS2 test page, and resolves 'succeed' or 'fail'. */
  function showChallenge(intent) {
    return new Promise(function (resolve) {
      var overlay = document.createElement('div');
      overlay.setAttribute('data-testid', 'stripe-sandbox-3ds-modal');
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-modal', 'true');
      overlay.setAttribute('aria-labelledby', 'stripe-sandbox-3ds-title');
      overlay.setAttribute(
        'style',
        'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5);display:flex;' +
          'align-items:center;justify-content:center;font-family:system-ui,sans-serif',
      );
      overlay.innerHTML =
        '<div style="background:#fff;color:#30313d;border-radius:8px;padding:24px;max-width:360px;width:90%;' +
        'box-shadow:0 10px 40px rgba(0,0,0,.3);position:relative">' +
        '<button type="button" data-testid="stripe-sandbox-3ds-close" aria-label="Close" ' +
        'style="position:absolute;top:8px;right:8px;border:none;background:none;font-size:20px;cursor:pointer">×</button>' +
        '<h2 id="stripe-sandbox-3ds-title" style="font-size:18px;margin:0 0 12px">3D Secure 2 Test Page</h2>' +
        '<p style="font-size:14px;margin:0 0 20px" data-testid="stripe-sandbox-3ds-amount"></p>' +
        '<div style="display:flex;gap:8px">' +
        '<button type="button" data-testid="stripe-sandbox-3ds-complete" style="flex:1;padding:10px;border:none;' +
        'border-radius:4px;background:#0570de;color:#fff;font-weight:600;cursor:pointer">Complete authentication</button>' +
        '<button type="button" data-testid="stripe-sandbox-3ds-fail" style="flex:1;padding:10px;border:1px solid #ccc;' +
        'border-radius:4px;background:#fff;color:#30313d;font-weight:600;cursor:pointer">Fail authentication</button>' +
        '</div></div>';
      overlay.querySelector('[data-testid="stripe-sandbox-3ds-amount"]').textContent =
        'This is a sandbox test payment of ' +
        formatAmount(intent.amount, intent.currency) +
        '. Choose how the card issuer answers the authentication.';
      function finish(result) {
        if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
        resolve(result);
      }
      overlay
        .querySelector('[data-testid="stripe-sandbox-3ds-complete"]')
        .addEventListener('click', function () {
          finish('succeed');
        });
      overlay.querySelector('[data-testid="stripe-sandbox-3ds-fail"]').addEventListener('click', function () {
        finish('fail');
      });
      // Closing the real challenge window fails the authentication too.
      overlay
        .querySelector('[data-testid="stripe-sandbox-3ds-close"]')
        .addEventListener('click', function () {
          finish('fail');
        });
      document.body.appendChild(overlay);
      overlay.querySelector('[data-testid="stripe-sandbox-3ds-complete"]').focus();
    });
  }

  function Stripe(publishableKey, options) {
    if (typeof publishableKey !== 'string' || publishableKey === '') {
      throw integrationError('Please call Stripe() with your publishable key. You used an empty string.');
    }
    if (!/^pk_(test|live)_/.test(publishableKey)) {
      throw integrationError('Invalid API Key provided: ' + publishableKey.slice(0, 8) + '***');
    }
    var apiBase = ((options && options.apiBase) || scriptApiBase || DEFAULT_API_BASE).replace(/\/+$/, '');
    var api = createApi(publishableKey, apiBase);

    function retrievePaymentIntent(clientSecret) {
      var id = intentIdFromSecret(clientSecret);
      if (!id) return Promise.reject(integrationError('Invalid value for clientSecret: ' + clientSecret));
      return api
        .request('GET', '/v1/payment_intents/' + encodeURIComponent(id), { client_secret: clientSecret })
        .then(function (result) {
          return result.error ? { error: result.error } : { paymentIntent: result.body };
        });
    }

    function requireSubmittedElements(elements, method) {
      if (!elements || typeof elements._readCard !== 'function') {
        throw integrationError('Invalid value for ' + method + ': elements should be an Elements group.');
      }
      if (!elements._isSubmitted()) {
        throw integrationError(
          'elements.submit() must be called before stripe.' +
            method +
            '(). Call elements.submit() as soon as ' +
            'your customer presses pay, prior to any asynchronous work.',
        );
      }
      return elements._readCard();
    }

    function cardPaymentMethodData(card, billingDetails) {
      var details = mergeDeep({}, billingDetails || {});
      if (card.country || card.postalCode) {
        details.address = mergeDeep({ country: card.country, postal_code: card.postalCode }, details.address);
      }
      return {
        type: 'card',
        card: { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, cvc: card.cvc },
        billing_details: details,
      };
    }

    function createPaymentMethod(args) {
      return Promise.resolve().then(function () {
        args = args || {};
        var card = requireSubmittedElements(args.elements, 'createPaymentMethod');
        if (args.elements._options.paymentMethodCreation !== 'manual') {
          throw integrationError(
            "stripe.createPaymentMethod() with elements needs paymentMethodCreation: 'manual' on the Elements group.",
          );
        }
        var params = args.params || {};
        var body = mergeDeep(cardPaymentMethodData(card, params.billing_details), {
          metadata: params.metadata,
        });
        return api.request('POST', '/v1/payment_methods', body).then(function (result) {
          return result.error ? { error: result.error } : { paymentMethod: result.body };
        });
      });
    }

    function createConfirmationToken(args) {
      return Promise.resolve().then(function () {
        args = args || {};
        var card = requireSubmittedElements(args.elements, 'createConfirmationToken');
        var params = args.params || {};
        var pmData = params.payment_method_data || {};
        var body = {
          payment_method_data: cardPaymentMethodData(card, pmData.billing_details),
          return_url: params.return_url,
          shipping: params.shipping,
        };
        return api.request('POST', '/v1/confirmation_tokens', body).then(function (result) {
          return result.error ? { error: result.error } : { confirmationToken: result.body };
        });
      });
    }

    function outcomeOf(paymentIntent) {
      var lastError = paymentIntent.last_payment_error;
      if (paymentIntent.status === 'requires_payment_method' && lastError) {
        return { error: mergeDeep(mergeDeep({}, lastError), { payment_intent: paymentIntent }) };
      }
      return { paymentIntent: paymentIntent };
    }

    function handleNextAction(args) {
      var clientSecret = args && args.clientSecret;
      return retrievePaymentIntent(clientSecret).then(function (retrieved) {
        if (retrieved.error) return retrieved;
        var intent = retrieved.paymentIntent;
        if (intent.status !== 'requires_action') return outcomeOf(intent);
        return showChallenge(intent).then(function (result) {
          var id = intentIdFromSecret(clientSecret);
          return api
            .request('POST', '/v1/payment_intents/' + encodeURIComponent(id) + '/sandbox_3ds', {
              client_secret: clientSecret,
              result: result,
            })
            .then(function (completed) {
              if (completed.error) return { error: completed.error };
              return retrievePaymentIntent(clientSecret).then(function (after) {
                return after.error ? after : outcomeOf(after.paymentIntent);
              });
            });
        });
      });
    }

    function confirmPayment(args) {
      return Promise.resolve().then(function () {
        args = args || {};
        var elements = args.elements;
        var clientSecret = args.clientSecret || (elements && elements._options.clientSecret);
        var id = intentIdFromSecret(clientSecret);
        if (!id) throw integrationError('stripe.confirmPayment(): a clientSecret is required.');
        var confirmParams = args.confirmParams || {};
        var card = requireSubmittedElements(elements, 'confirmPayment');
        var body = {
          client_secret: clientSecret,
          payment_method_data: cardPaymentMethodData(
            card,
            (confirmParams.payment_method_data || {}).billing_details,
          ),
          return_url: confirmParams.return_url,
        };
        return api
          .request('POST', '/v1/payment_intents/' + encodeURIComponent(id) + '/confirm', body)
          .then(function (result) {
            if (result.error) return { error: result.error };
            if (result.body.status === 'requires_action')
              return handleNextAction({ clientSecret: clientSecret });
            return outcomeOf(result.body);
          })
          .then(function (outcome) {
            var intent = outcome.paymentIntent;
            if (intent && args.redirect !== 'if_required' && confirmParams.return_url) {
              var target = new URL(confirmParams.return_url);
              target.searchParams.set('payment_intent', intent.id);
              target.searchParams.set('payment_intent_client_secret', clientSecret);
              target.searchParams.set(
                'redirect_status',
                intent.status === 'succeeded' ? 'succeeded' : 'pending',
              );
              window.location.assign(target.toString());
            }
            return outcome;
          });
      });
    }

    return {
      elements: function (options) {
        return createElementsGroup(options || {}, retrievePaymentIntent);
      },
      createPaymentMethod: createPaymentMethod,
      createConfirmationToken: createConfirmationToken,
      retrievePaymentIntent: retrievePaymentIntent,
      handleNextAction: handleNextAction,
      handleCardAction: function (clientSecret) {
        return handleNextAction({ clientSecret: clientSecret });
      },
      confirmPayment: confirmPayment,
      // @stripe/stripe-js's loadStripe registers itself here, as with the real Stripe.js.
      _registerWrapper: function (wrapper) {
        window.__stripeSandbox.wrappers.push(wrapper);
      },
      _apiBase: apiBase,
    };
  }
  // Release-train Stripe.js reports its train; @stripe/stripe-js 10 expects 'endive' and warns otherwise.
  Stripe.version = 'endive';
  Stripe.__onepagepaySandbox = true;

  window.__stripeSandbox = {
    /** Types a card into the most recently mounted Payment Element, firing real input events. */
    fillCard: function (number, exp, cvc, postalCode) {
      var element = mountedElements[mountedElements.length - 1];
      if (!element) throw new Error('__stripeSandbox.fillCard: no Payment Element is mounted.');
      element._fill({
        number: number,
        expiry: exp === undefined ? '12/34' : exp,
        cvc: cvc === undefined ? '123' : cvc,
        postalCode: postalCode,
      });
    },
    /** Clicks a button of the open 3-D Secure challenge: 'complete' or 'fail'. */
    completeChallenge: function (outcome) {
      var button = document.querySelector(
        '[data-testid="stripe-sandbox-3ds-' + (outcome || 'complete') + '"]',
      );
      if (!button) throw new Error('__stripeSandbox.completeChallenge: no 3-D Secure challenge is open.');
      button.click();
    },
    mountedElements: mountedElements,
    wrappers: [],
  };
  window.Stripe = Stripe;
})();
