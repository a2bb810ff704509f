// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Job progress pages refresh themselves while the job runs (the page also has a plain refresh link).
const progress = document.querySelector("[data-job-status-url]");
if (progress) {
  const url = progress.getAttribute("data-job-status-url");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const job = await response.json();
      for (const [key, value] of Object.entries(job)) {
        const target = progress.querySelector(`[data-job-field="${key}"]`);
        if (target) target.textContent = value ?? "";
      }
      const bar = progress.querySelector("progress");
      if (bar && job.rows_total) {
        bar.max = job.rows_total;
        bar.value = job.rows_done;
      }
      if (job.status === "done" || job.status === "failed") {
        window.location.reload();
        return;
      }
    } catch (error) {
      // a network hiccup: try again on the next tick
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
