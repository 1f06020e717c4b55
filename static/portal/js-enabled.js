/* GOV.UK Frontend's "JavaScript is on" classes, set first thing in <body> (templates/base.html). */
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
