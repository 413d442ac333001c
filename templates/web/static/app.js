// 打印 buttons: any element with data-print prints the page (no inline script: the CSP forbids it)
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) { event.preventDefault(); window.print(); }
});
