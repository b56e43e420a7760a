// One click on the theme button switches between light and dark. The theme's own button cycles
// through "system" first, which on a light desktop changes nothing.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".theme-switch-button");
  if (!button) return;
  event.stopPropagation();
  var root = document.documentElement;
  var next = root.dataset.theme === "dark" ? "light" : "dark";
  root.dataset.mode = next;
  root.dataset.theme = next;
  localStorage.setItem("mode", next);
  localStorage.setItem("theme", next);
  document.querySelectorAll(".dropdown-menu").forEach(function (menu) {
    menu.classList.toggle("dropdown-menu-dark", next === "dark");
  });
}, true);
