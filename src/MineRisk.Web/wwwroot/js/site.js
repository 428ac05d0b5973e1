// Every htmx request carries the antiforgery token (forms posted by Razor Pages carry their own field).
document.addEventListener("htmx:configRequest", function (e) {
  var meta = document.querySelector('meta[name="request-verification-token"]');
  if (meta) { e.detail.headers["RequestVerificationToken"] = meta.content; }
});
// Buttons that ask before acting: <button data-confirm="确定要…吗？">
document.addEventListener("click", function (e) {
  var el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
}, true);
// Region filters drill down: choosing a region submits the filter, and the list then opens the level below it.
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("select[data-drilldown]") && el.form) {
    if (el.form.elements["p"]) { el.form.elements["p"].value = ""; }
    el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  }
});
