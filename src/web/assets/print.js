// The print button of the checklist and the wheel: hidden until this script (served by Årshjul itself,
// as the Content-Security-Policy requires) can make it work.
document.querySelectorAll('button[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
});
