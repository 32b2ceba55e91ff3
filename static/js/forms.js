// Focus the error summary when a form comes back with errors, so keyboard and screen-reader users start at
// the list of what to correct (GOV.UK's error summary pattern) instead of at the top of the page.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
