// Staff sign-in: once django-otp-webauthn's script has registered a passkey, go on to the
// page named by the nearest data-passkey-done-url (the recovery codes at set-up, or the
// two-step verification page again). No inline script: the pages run under a strict CSP.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const holder = event.target.closest("[data-passkey-done-url]");
  window.location.assign(holder ? holder.dataset.passkeyDoneUrl : window.location.href);
});
