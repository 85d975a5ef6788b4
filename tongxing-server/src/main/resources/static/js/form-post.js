// OAuth 2.0 Form Post Response Mode: sends the authorization response to the client as soon as the page loads.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-testid="form-post"]');
  if (form) {
    form.submit();
  }
});
