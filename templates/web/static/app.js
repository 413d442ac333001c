// 打印 buttons: any element with data-print prints the page (no inline script: the CSP forbids it)
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) { event.preventDefault(); window.print(); }
});

// a button with data-confirm asks before its form is sent (处罚告知, 送达, 撤销, 结案)
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
});
