/* "Exit this page" leaves by replacing the page in the browser's history, so Back does not
   bring it back. GOV.UK Frontend's component (started by govuk-init.js) leaves with
   location.href, which adds an entry; here its button and its Shift x3 become a replace.
   Without JavaScript the button is a plain link to /exit/, which still forgets the answers. */
(function () {
  "use strict";
  var button = document.querySelector(".govuk-js-exit-this-page-button");
  if (!button || !window.location.replace) {
    return;
  }
  var exitUrl = button.href;

  // The button: runs before the component's own click handler (capture phase).
  document.addEventListener(
    "click",
    function (event) {
      if (event.target.closest && event.target.closest(".govuk-js-exit-this-page-button")) {
        event.preventDefault();
        event.stopPropagation();
        document.body.classList.add("govuk-exit-this-page-hide-content");
        window.location.replace(exitUrl);
      }
    },
    true
  );

  // Shift x3: the component navigates itself; where the browser has the Navigation API,
  // that push becomes a replace.
  if (window.navigation && window.navigation.addEventListener) {
    window.navigation.addEventListener("navigate", function (event) {
      if (event.navigationType === "push" && event.cancelable && event.destination.url === exitUrl) {
        event.preventDefault();
        window.location.replace(exitUrl);
      }
    });
  }
})();
