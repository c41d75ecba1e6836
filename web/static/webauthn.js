// cleared: security keys (WebAuthn), the only script of the web UI. A security key is reached through the
// browser's navigator.credentials, which only a script can call. A form marked data-webauthn="create" (register a
// key) or "get" (sign in with one) asks the server for the ceremony's options (its data-begin URL), lets the
// browser talk to the key, puts the key's answer in the form's "answer" field, and sends the form as usual: the
// server answers it like any other form. Nothing else is done here, and no text is written: messages are in the
// page, from the catalogues.
"use strict";
(function () {
  function toBuffer(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var b = atob(s), a = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) { a[i] = b.charCodeAt(i); }
    return a.buffer;
  }
  function toBase64url(buf) {
    var a = new Uint8Array(buf), s = "";
    for (var i = 0; i < a.length; i++) { s += String.fromCharCode(a[i]); }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function creation(o) {
    var p = o.publicKey;
    p.challenge = toBuffer(p.challenge);
    p.user.id = toBuffer(p.user.id);
    (p.excludeCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return o;
  }
  function request(o) {
    var p = o.publicKey;
    p.challenge = toBuffer(p.challenge);
    (p.allowCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return o;
  }
  function answer(c) {
    var r = c.response;
    var out = { id: c.id, rawId: toBase64url(c.rawId), type: c.type, response: { clientDataJSON: toBase64url(r.clientDataJSON) },
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {} };
    if (c.authenticatorAttachment) { out.authenticatorAttachment = c.authenticatorAttachment; }
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      if (r.userHandle) { out.response.userHandle = toBase64url(r.userHandle); }
    }
    return JSON.stringify(out);
  }
  function failed(form) {
    var m = form.querySelector("[data-webauthn-error]");
    if (m) { m.hidden = false; m.focus(); }
  }
  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    form.hidden = false; // without a script, the page says why the form is not there
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) { failed(form); return; }
      var body = new URLSearchParams();
      body.set("csrf", form.elements.csrf.value);
      fetch(form.getAttribute("data-begin"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (res) { if (!res.ok) { throw new Error("begin: " + res.status); } return res.json(); })
        .then(function (o) {
          return form.getAttribute("data-webauthn") === "create" ? navigator.credentials.create(creation(o)) : navigator.credentials.get(request(o));
        })
        .then(function (c) { form.elements.answer.value = answer(c); form.submit(); })
        .catch(function () { failed(form); });
    });
  });
})();
