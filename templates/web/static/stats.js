// the head's landing page: this month's and this year's figures (统计), fetched after the page
// has shown, since counting them over a large database takes a moment
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-glance]");
  if (!box) { return; }
  fetch(box.getAttribute("data-glance"), { credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
    .then((html) => { box.outerHTML = html; })
    .catch(() => { box.querySelector("p").textContent = "统计数据暂时无法汇总，请打开“统计”查看。"; });
});
