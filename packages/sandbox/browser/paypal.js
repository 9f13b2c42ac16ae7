/* OnePagePay sandbox: a fake of PayPal's JavaScript SDK (Buttons) for offline tests and demos.
 *
 * The PayPal sandbox serves it at GET /sdk/js?client-id=…, so `@paypal/paypal-js`'s
 * `loadScript({ clientId, sdkBaseUrl: '<sandbox>/sdk/js' })` loads it as it would load
 * www.paypal.com/sdk/js. It installs `window.paypal` with `Buttons({createOrder, onApprove, onCancel,
 * onError, onClick, style}).render(el)`, `isEligible()`, `close()` and `FUNDING`, keeping the real
 * contract: onClick may return (a promise of) `actions.reject()` to stop; createOrder must resolve an
 * order id; the payer's window is one at a time; approving asks the sandbox to approve the order
 * (POST /sandbox/orders/{id}/approve, what PayPal's own approval page does), then onApprove gets
 * `{orderID, payerID}`; closing the window calls onCancel; a throw in any callback calls onError.
 * The payer's window is a dialog in the page with "Pay now" and "Cancel and return to the store".
 */
(function () {
  'use strict';
  if (window.paypal && window.paypal.__onepagepaySandbox) return;

  var script = document.currentScript;
  var src = new URL(script && script.src ? script.src : location.href);
  var apiBase = src.origin;
  var clientId = src.searchParams.get('client-id');
  var currency = (src.searchParams.get('currency') || 'USD').toUpperCase();
  var FUNDING = { PAYPAL: 'paypal', CARD: 'card', VENMO: 'venmo', PAYLATER: 'paylater' };
  /** The one payer window open on the page, as PayPal opens one popup at a time. */
  var open = null;
  var buttonCount = 0;

  function validationError(message) {
    var error = new Error(message);
    error.name = 'ValidationError';
    return error;
  }

  function resolveContainer(container) {
    var el = typeof container === 'string' ? document.querySelector(container) : container;
    if (!el || el.nodeType !== 1) {
      var name = typeof container === 'string' ? container : String(container);
      throw new Error('Document is ready and element ' + name + ' does not exist');
    }
    return el;
  }

  function Buttons(options) {
    options = options || {};
    var style = options.style || {};
    var fundingSource = options.fundingSource || FUNDING.PAYPAL;
    var rendered = null;
    var closed = false;
    ['createOrder', 'onApprove', 'onCancel', 'onError', 'onClick', 'onInit'].forEach(function (name) {
      if (options[name] !== undefined && typeof options[name] !== 'function') {
        throw validationError('Expected ' + name + ' to be a function');
      }
    });
    if (!options.createOrder && !options.createSubscription) {
      throw validationError('Expected createOrder or createSubscription to be passed');
    }
    if (style.layout && ['vertical', 'horizontal'].indexOf(style.layout) < 0) {
      throw validationError('Invalid style.layout: ' + style.layout);
    }

    function report(error) {
      if (options.onError) options.onError(error instanceof Error ? error : new Error(String(error)));
      else console.error(error);
    }

    function closeWindow() {
      if (open && open.buttons === instance) {
        open.dialog.remove();
        open = null;
      }
    }

    function approve(orderID, dialog) {
      var buyer = window.__paypalSandbox.buyer || {};
      return fetch(apiBase + '/sandbox/orders/' + encodeURIComponent(orderID) + '/approve', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(buyer),
      }).then(function (response) {
        if (!response.ok)
          throw new Error('PayPal could not approve order ' + orderID + ' (' + response.status + ')');
        dialog.remove();
        open = null;
        var payerID = 'SANDBOXPAYER' + String(++buttonCount).padStart(3, '0');
        var data = {
          orderID: orderID,
          payerID: payerID,
          paymentID: null,
          facilitatorAccessToken: 'A21AA-sandbox',
          paymentSource: fundingSource,
        };
        var actions = {
          restart: function () {
            return startCheckout();
          },
        };
        return options.onApprove ? options.onApprove(data, actions) : undefined;
      });
    }

    /** The payer's window: the approval page PayPal shows once createOrder has an order id. */
    function showWindow(orderID) {
      var dialog = document.createElement('div');
      dialog.className = 'paypal-checkout-sandbox';
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-label', 'PayPal');
      dialog.dataset.orderId = orderID;
      dialog.style.cssText =
        'position:fixed;inset:0;background:rgba(0,0,0,.6);z-index:2147483647;display:flex;align-items:center;justify-content:center';
      var box = document.createElement('div');
      box.style.cssText =
        'background:#fff;padding:24px;border-radius:8px;font:16px sans-serif;min-width:280px';
      var title = document.createElement('p');
      title.textContent = 'PayPal sandbox: order ' + orderID;
      var pay = document.createElement('button');
      pay.type = 'button';
      pay.dataset.paypalApprove = '';
      pay.textContent = 'Pay now';
      var cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.dataset.paypalCancel = '';
      cancel.textContent = 'Cancel and return to the store';
      box.append(title, pay, ' ', cancel);
      dialog.append(box);
      document.body.append(dialog);
      var settled = false;
      pay.addEventListener('click', function () {
        if (settled) return;
        settled = true;
        Promise.resolve()
          .then(function () {
            return approve(orderID, dialog);
          })
          .catch(function (error) {
            closeWindow();
            report(error);
          });
      });
      cancel.addEventListener('click', function () {
        if (settled) return;
        settled = true;
        closeWindow();
        try {
          if (options.onCancel) options.onCancel({ orderID: orderID });
        } catch (error) {
          report(error);
        }
      });
      open = { buttons: instance, dialog: dialog };
    }

    function startCheckout() {
      return Promise.resolve()
        .then(function () {
          return options.createOrder(
            { paymentSource: fundingSource },
            { order: { create: rejectClientCreate } },
          );
        })
        .then(function (orderID) {
          if (typeof orderID !== 'string' || orderID === '') {
            throw new Error('Expected an order id to be passed');
          }
          if (closed) return;
          showWindow(orderID);
        })
        .catch(function (error) {
          closeWindow();
          report(error);
        });
    }

    function onButtonClick(event) {
      event.preventDefault();
      // PayPal keeps one payer window: a click while it is open brings it forward, no second order.
      if (open) return;
      var actions = {
        resolve: function () {
          return Promise.resolve(true);
        },
        reject: function () {
          return Promise.resolve(false);
        },
      };
      open = { buttons: instance, dialog: document.createElement('div') };
      Promise.resolve()
        .then(function () {
          return options.onClick ? options.onClick({ fundingSource: fundingSource }, actions) : true;
        })
        .then(function (allowed) {
          if (allowed === false) {
            open = null;
            return;
          }
          open = null;
          return startCheckout();
        })
        .catch(function (error) {
          open = null;
          report(error);
        });
    }

    var instance = {
      isEligible: function () {
        return [FUNDING.PAYPAL, FUNDING.CARD, FUNDING.PAYLATER].indexOf(fundingSource) >= 0;
      },
      render: function (container) {
        return new Promise(function (resolve) {
          if (rendered) throw new Error('Buttons already rendered');
          if (!instance.isEligible()) throw new Error('Funding source ' + fundingSource + ' is not eligible');
          var parent = resolveContainer(container);
          rendered = document.createElement('div');
          rendered.className = 'paypal-buttons paypal-buttons-context-iframe';
          rendered.dataset.fundingSource = fundingSource;
          var button = document.createElement('button');
          button.type = 'button';
          button.setAttribute('aria-label', 'PayPal');
          button.textContent = style.label === 'pay' ? 'Pay with PayPal' : 'PayPal';
          button.style.cssText =
            'width:100%;min-height:' +
            (style.height || 45) +
            'px;background:' +
            (style.color === 'blue' ? '#0070ba' : '#ffc439') +
            ';border:0;border-radius:' +
            (style.shape === 'pill' ? '23px' : '4px');
          button.addEventListener('click', onButtonClick);
          rendered.append(button);
          parent.append(rendered);
          if (options.onInit) options.onInit({}, { enable: noop, disable: noop });
          resolve();
        });
      },
      updateProps: function (props) {
        Object.assign(options, props);
        return Promise.resolve();
      },
      // No redirect flow in the sandbox: the payer never leaves the page.
      hasReturned: function () {
        return false;
      },
      resume: noop,
      close: function () {
        closed = true;
        closeWindow();
        if (rendered) rendered.remove();
        return Promise.resolve();
      },
    };
    return instance;
  }

  function rejectClientCreate() {
    return Promise.reject(new Error('The sandbox creates orders only on the server (Orders v2 API).'));
  }

  function noop() {}

  window.paypal = {
    __onepagepaySandbox: true,
    version: '5.0.0-onepagepay-sandbox',
    FUNDING: FUNDING,
    Buttons: Buttons,
    getFundingSources: function () {
      return [FUNDING.PAYPAL, FUNDING.CARD, FUNDING.PAYLATER];
    },
  };
  window.__paypalSandbox = { apiBase: apiBase, clientId: clientId, currency: currency, buyer: null };
})();
